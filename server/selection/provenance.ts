import type { Db } from '../db/connect.js'
import { AppError } from '../http/errors.js'
import { districtKey } from '../domain/federation.js'

/**
 * Where a department's data comes from: this atlas, or a source a city atlas harvests (migration 0011).
 * Harvested data stays owned by its district: it is read at the city and changed only at the source.
 */
export async function harvestedFrom(db: Db, departmentId: number): Promise<{ sourceId: number; sourceName: string } | null> {
  const row = await db.kysely.selectFrom('departments as d').innerJoin('harvest_sources as s', 's.id', 'd.source_id')
    .select(['s.id', 's.name']).where('d.id', '=', departmentId).executeTakeFirst()
  return row ? { sourceId: row.id, sourceName: row.name } : null
}

/** The departments of some districts (districtKey: a district's code, `local`, or `source-<id>`). */
export async function departmentsOfDistricts(db: Db, keys: readonly string[]): Promise<number[]> {
  const rows = await db.kysely.selectFrom('departments').select(['id', 'source_id', 'district_code']).execute()
  const wanted = new Set(keys)
  return rows.filter((d) => wanted.has(districtKey(d.source_id === null ? null : { sourceId: d.source_id, districtCode: d.district_code }))).map((d) => d.id)
}

/** 409 when the department was harvested from another atlas: its systems, resources and features cannot be changed here. */
export async function assertLocalDepartment(db: Db, departmentId: number): Promise<void> {
  const from = await harvestedFrom(db, departmentId)
  if (from) throw new AppError(409, 'harvested', `该部门的数据汇聚自“${from.sourceName}”，归区县所有，只能在来源平台修改`)
}
