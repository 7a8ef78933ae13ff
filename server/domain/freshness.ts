import type { FreshnessStatus, UpdateCycle } from './enums.js'

const MINUTE = 60_000
const DAY = 86_400_000

/**
 * How long a resource may go without an update before it is overdue, per declared cycle.
 * 实时 is judged in minutes; 不定期 and 其他 are not judged (null).
 */
export const CYCLE_PERIOD_MS: Readonly<Record<UpdateCycle, number | null>> = {
  realtime: 15 * MINUTE,
  daily: DAY,
  weekly: 7 * DAY,
  monthly: 31 * DAY,
  quarterly: 92 * DAY,
  'half-yearly': 183 * DAY,
  yearly: 366 * DAY,
  irregular: null,
  other: null,
}

/** Share of the period after which an on-time resource counts as "due soon". */
const DUE_SOON_FRACTION = 0.8

export interface FreshnessJudgement {
  status: FreshnessStatus
  /** When the next update is due (ISO 8601), or null when not judged or never updated. */
  dueAt: string | null
  /** How long past due, in milliseconds; 0 unless overdue. */
  overdueMs: number
}

/**
 * The status at time `t` (ms) of a resource with this period and last update (ms, null if never):
 * the part of the judgement that depends on the clock, for callers that keep the rest.
 */
export function statusAt(periodMs: number | null, lastMs: number | null, t: number): { status: FreshnessStatus; overdueMs: number } {
  if (periodMs === null) return { status: 'not-judged', overdueMs: 0 }
  if (lastMs === null) return { status: 'never', overdueMs: 0 }
  const due = lastMs + periodMs
  if (t > due) return { status: 'overdue', overdueMs: t - due }
  if (t > lastMs + periodMs * DUE_SOON_FRACTION) return { status: 'due-soon', overdueMs: 0 }
  return { status: 'on-time', overdueMs: 0 }
}

/** Judges a resource's freshness from its declared cycle and its last real update. */
export function judgeFreshness(cycle: UpdateCycle, lastUpdatedAt: string | null, now: Date): FreshnessJudgement {
  const period = CYCLE_PERIOD_MS[cycle]
  const last = lastUpdatedAt ? Date.parse(lastUpdatedAt) : null
  const { status, overdueMs } = statusAt(period, last, now.getTime())
  return { status, dueAt: period !== null && last !== null ? new Date(last + period).toISOString() : null, overdueMs }
}

/**
 * A department's on-time rate: on-time and due-soon resources over all judged ones
 * (never-updated resources count against it). Null when nothing is judged.
 */
export function onTimeRate(counts: Partial<Record<FreshnessStatus, number>>): number | null {
  const good = (counts['on-time'] ?? 0) + (counts['due-soon'] ?? 0)
  const judged = good + (counts.overdue ?? 0) + (counts.never ?? 0)
  return judged === 0 ? null : good / judged
}
