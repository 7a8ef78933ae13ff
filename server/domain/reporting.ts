import type { ReportStatus } from './enums.js'

export interface ReportFacts {
  noSystems: boolean
  systemsReportedAt: string | null
  resourcesReportedAt: string | null
}
export interface RoundDeadlines { systemsDeadline: string; resourcesDeadline: string }

/**
 * A department's reporting status in a survey round. "Reported: no systems" is distinct from
 * "not reported"; a form handed in after its deadline makes the department late. The late flags
 * also mark a form still missing after its deadline, so "not started" can show as overdue.
 */
export function reportStatus(facts: ReportFacts, round: RoundDeadlines, now: Date): {
  status: ReportStatus
  systemsLate: boolean
  resourcesLate: boolean
} {
  const sysDue = Date.parse(round.systemsDeadline)
  const resDue = Date.parse(round.resourcesDeadline)
  const t = now.getTime()
  const lateBy = (at: string | null, due: number) => (at === null ? t > due : Date.parse(at) > due)
  const systemsLate = lateBy(facts.systemsReportedAt, sysDue)
  const resourcesLate = facts.noSystems ? systemsLate : lateBy(facts.resourcesReportedAt, resDue)
  if (facts.noSystems) return { status: 'no-systems', systemsLate, resourcesLate }
  if (facts.systemsReportedAt === null && facts.resourcesReportedAt === null) return { status: 'not-started', systemsLate, resourcesLate }
  const handedInLate =
    (facts.systemsReportedAt !== null && Date.parse(facts.systemsReportedAt) > sysDue) ||
    (facts.resourcesReportedAt !== null && Date.parse(facts.resourcesReportedAt) > resDue)
  if (handedInLate) return { status: 'late', systemsLate, resourcesLate }
  if (facts.resourcesReportedAt !== null) return { status: 'resources-reported', systemsLate, resourcesLate }
  return { status: 'systems-reported', systemsLate, resourcesLate }
}
