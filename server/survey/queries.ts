import type { Db } from '../db/connect.js'
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

/** Every survey round, newest first. */
export async function listRounds(db: Db): Promise<SurveyRound[]> {
  const rows = await db.kysely.selectFrom('survey_rounds').selectAll().orderBy('systems_deadline', 'desc').orderBy('id', 'desc').execute()
  return Promise.all(rows.map((r) => roundFromRow(db, r)))
}

export interface RoundInput { title: string; systemsDeadline: string; resourcesDeadline: string; departmentIds: number[] }

/** Creates a round; its departments start "not reported". */
export function createRound(db: Db, input: RoundInput, now: Date): number {
  return db.sqlite.transaction(() => {
    const id = Number(db.sqlite.prepare(`INSERT INTO survey_rounds (title, systems_deadline, resources_deadline, created_at) VALUES (?, ?, ?, ?)`)
      .run(input.title, input.systemsDeadline, input.resourcesDeadline, now.toISOString()).lastInsertRowid)
    const add = db.sqlite.prepare(`INSERT INTO survey_round_departments (round_id, department_id) VALUES (?, ?)`)
    for (const d of input.departmentIds) add.run(id, d)
    return id
  })()
}

/** Changes a round's title, deadlines and departments; reports of departments that stay are kept. */
export function updateRound(db: Db, id: number, input: RoundInput): void {
  db.sqlite.transaction(() => {
    db.sqlite.prepare(`UPDATE survey_rounds SET title = ?, systems_deadline = ?, resources_deadline = ? WHERE id = ?`)
      .run(input.title, input.systemsDeadline, input.resourcesDeadline, id)
    const keep = JSON.stringify(input.departmentIds)
    db.sqlite.prepare(`DELETE FROM survey_round_departments WHERE round_id = ? AND department_id NOT IN (SELECT value FROM json_each(?))`).run(id, keep)
    const add = db.sqlite.prepare(`INSERT OR IGNORE INTO survey_round_departments (round_id, department_id) VALUES (?, ?)`)
    for (const d of input.departmentIds) add.run(id, d)
  })()
}
