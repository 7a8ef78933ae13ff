import type { Db } from '../db/connect.js'
import { inTransaction, oneOf } from '../db/dialect.js'
import { reportStatus } from '../domain/reporting.js'
import type { DepartmentReport, SurveyRound } from '../domain/types.js'

/** The most recent survey round (by its systems deadline), or null when none exists. */
export async function latestRound(db: Db): Promise<SurveyRound | null> {
  const row = await db.kysely.selectFrom('survey_rounds').selectAll().orderBy('systems_deadline', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
  return row ? roundFromRow(db, row) : null
}

export async function roundById(db: Db, id: number): Promise<SurveyRound | null> {
  const row = await db.kysely.selectFrom('survey_rounds').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? roundFromRow(db, row) : null
}

async function roundFromRow(db: Db, row: { id: number; title: string; systems_deadline: string; resources_deadline: string }): Promise<SurveyRound> {
  const deps = await db.kysely.selectFrom('survey_round_departments').select('department_id').where('round_id', '=', row.id).execute()
  return {
    id: row.id, title: row.title, systemsDeadline: row.systems_deadline, resourcesDeadline: row.resources_deadline,
    departmentIds: deps.map((d) => d.department_id),
  }
}

/** Every department's reporting status in a round, in department order. */
export async function reportsOf(db: Db, round: SurveyRound, now: Date): Promise<DepartmentReport[]> {
  const rows = await db.kysely
    .selectFrom('survey_round_departments as rd')
    .innerJoin('departments as d', 'd.id', 'rd.department_id')
    .select(['rd.department_id', 'd.name', 'rd.no_systems', 'rd.systems_reported_at', 'rd.resources_reported_at'])
    .where('rd.round_id', '=', round.id)
    .orderBy('d.sort_order').orderBy('d.id')
    .execute()
  return rows.map((r) => {
    const facts = { noSystems: r.no_systems === 1, systemsReportedAt: r.systems_reported_at, resourcesReportedAt: r.resources_reported_at }
    const s = reportStatus(facts, round, now)
    return { departmentId: r.department_id, departmentName: r.name, ...facts, ...s }
  })
}

/**
 * The reporting of departments a city harvested, each judged against its own district's round (the
 * district's deadlines came with it), in department order: a city's progress counts every district.
 */
export async function harvestedReports(db: Db, now: Date): Promise<DepartmentReport[]> {
  const rows = await db.kysely.selectFrom('departments').select(['id', 'name', 'reporting']).where('source_id', 'is not', null)
    .where('reporting', 'is not', null).orderBy('sort_order').orderBy('id').execute()
  const out: DepartmentReport[] = []
  for (const r of rows) {
    let rep: { systemsDeadline?: string; resourcesDeadline?: string; noSystems?: boolean; systemsReportedAt?: string | null; resourcesReportedAt?: string | null }
    try {
      rep = JSON.parse(r.reporting!) as typeof rep
    } catch {
      continue
    }
    if (!rep.systemsDeadline || !rep.resourcesDeadline) continue
    const facts = { noSystems: Boolean(rep.noSystems), systemsReportedAt: rep.systemsReportedAt ?? null, resourcesReportedAt: rep.resourcesReportedAt ?? null }
    out.push({ departmentId: r.id, departmentName: r.name, ...facts, ...reportStatus(facts, { systemsDeadline: rep.systemsDeadline, resourcesDeadline: rep.resourcesDeadline }, now) })
  }
  return out
}

/** Every survey round, newest first. */
export async function listRounds(db: Db): Promise<SurveyRound[]> {
  const rows = await db.kysely.selectFrom('survey_rounds').selectAll().orderBy('systems_deadline', 'desc').orderBy('id', 'desc').execute()
  return Promise.all(rows.map((r) => roundFromRow(db, r)))
}

export interface RoundInput { title: string; systemsDeadline: string; resourcesDeadline: string; departmentIds: number[] }

/** Creates a round; its departments start "not reported". */
export async function createRound(db: Db, input: RoundInput, now: Date): Promise<number> {
  return inTransaction(db, async (trx) => {
    const { id } = await trx.insertInto('survey_rounds')
      .values({ title: input.title, systems_deadline: input.systemsDeadline, resources_deadline: input.resourcesDeadline, created_at: now.toISOString() })
      .returning('id').executeTakeFirstOrThrow()
    const departments = [...new Set(input.departmentIds)]
    if (departments.length) await trx.insertInto('survey_round_departments').values(departments.map((d) => ({ round_id: id, department_id: d, no_systems: 0 }))).execute()
    return id
  })
}

/** Changes a round's title, deadlines and departments; reports of departments that stay are kept. */
export async function updateRound(db: Db, id: number, input: RoundInput): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.updateTable('survey_rounds').set({ title: input.title, systems_deadline: input.systemsDeadline, resources_deadline: input.resourcesDeadline })
      .where('id', '=', id).execute()
    await trx.deleteFrom('survey_round_departments').where('round_id', '=', id)
      .where((eb) => eb.not(oneOf(db.engine, 'department_id', input.departmentIds))).execute()
    const departments = [...new Set(input.departmentIds)]
    if (departments.length) {
      await trx.insertInto('survey_round_departments').values(departments.map((d) => ({ round_id: id, department_id: d, no_systems: 0 })))
        .onConflict((oc) => oc.columns(['round_id', 'department_id']).doNothing()).execute()
    }
  })
}
