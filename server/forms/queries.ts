/**
 * SQL for the forms: the reference data a form is checked against, the catalog as it stands for a
 * department, and writing a confirmed plan in one transaction.
 */
import { sql, type Insertable, type Kysely } from 'kysely'
import type { Db } from '../db/connect.js'
import { insertMany } from '../db/dialect.js'
import type { DataItemsTable, Database } from '../db/schema.js'
import type { BuildLevel, Deployment, Network, RunStatus, SecurityLevel, SharingMode } from '../domain/enums.js'
import { categoryLabel } from '../domain/taxonomy.js'
import { FormContext } from './context.js'
import { NEW_RESOURCE_EXTRAS } from './model.js'
import type { ExistingResource, ExistingSystem, ResourcesPlan, SystemsPlan } from './plan.js'

/** This atlas's own departments and systems (never those a city harvested: a form cannot name them) and the taxonomy, for checking a form. */
export async function loadFormContext(db: Db): Promise<FormContext> {
  const [departments, systems, subcategories, items, district] = await Promise.all([
    db.kysely.selectFrom('departments').select(['id', 'name', 'short_name']).where('source_id', 'is', null).orderBy('sort_order').orderBy('id').execute(),
    db.kysely.selectFrom('systems').select(['id', 'department_id', 'name', 'build_level']).where('source_id', 'is', null).orderBy('id').execute(),
    db.kysely.selectFrom('subcategories').select(['code', 'name']).orderBy('sort_order').execute(),
    db.kysely.selectFrom('subcategory_items').select(['name', 'subcategory_code']).execute(),
    db.kysely.selectFrom('regions').select('name').where('kind', '=', 'district').where('focus', '=', 1).executeTakeFirst(),
  ])
  return new FormContext(
    departments.map((d) => ({ id: d.id, name: d.name, shortName: d.short_name })),
    systems.map((s) => ({ id: s.id, departmentId: s.department_id, name: s.name, buildLevel: s.build_level })),
    subcategories,
    items.map((i) => ({ name: i.name, subcategoryCode: i.subcategory_code })),
    district?.name,
  )
}

/** Sub-category code → its form name (燃气管网 → 燃气管网安全). */
export async function categoryNames(db: Db): Promise<(code: string) => string> {
  const rows = await db.kysely.selectFrom('subcategories').select(['code', 'name']).execute()
  const map = new Map(rows.map((r) => [r.code, categoryLabel(r.name)]))
  return (code) => map.get(code) ?? code
}

const parseList = <T>(json: string): T[] => {
  try {
    const v: unknown = JSON.parse(json)
    return Array.isArray(v) ? (v as T[]) : []
  } catch {
    return []
  }
}

/** The departments' systems as the forms see them, with what a removal would take along. */
export async function existingSystems(db: Db, departmentIds: readonly number[], systemIds?: readonly number[]): Promise<ExistingSystem[]> {
  if (departmentIds.length === 0 && !systemIds?.length) return []
  let q = db.kysely
    .selectFrom('systems as s')
    .selectAll('s')
    .select((eb) => [
      eb.selectFrom('resources as r').whereRef('r.system_id', '=', 's.id').select((e) => e.fn.countAll<number>().as('n')).as('resource_count'),
      eb.selectFrom('resource_item_counts as c').innerJoin('resources as r', 'r.id', 'c.resource_id').whereRef('r.system_id', '=', 's.id')
        .select((e) => e.fn.coalesce(e.fn.sum<number>('c.n'), e.lit(0)).as('n')).as('item_count'),
      eb.selectFrom('feature_summary as f').innerJoin('resources as r', 'r.id', 'f.resource_id').whereRef('r.system_id', '=', 's.id')
        .select((e) => e.fn.coalesce(e.fn.sum<number>('f.n'), e.lit(0)).as('n')).as('feature_count'),
    ])
  q = systemIds?.length ? q.where('s.id', 'in', systemIds) : q.where('s.department_id', 'in', departmentIds)
  const rows = await q.orderBy('s.id').execute()
  return rows.map((s) => ({
    id: s.id,
    departmentId: s.department_id,
    name: s.name,
    buildLevel: s.build_level as BuildLevel,
    builder: s.builder,
    operator: s.operator,
    deployment: s.deployment as Deployment,
    runStatus: s.run_status as RunStatus,
    securityLevel: s.security_level as SecurityLevel,
    sharesData: s.shares_data === 1,
    sharingModes: parseList<SharingMode>(s.sharing_modes),
    networks: parseList<Network>(s.networks),
    reviewer: s.reviewer,
    filler: s.filler,
    phone: s.phone,
    filledAt: s.filled_at,
    resourceCount: Number(s.resource_count ?? 0),
    itemCount: Number(s.item_count ?? 0),
    featureCount: Number(s.feature_count ?? 0),
  }))
}

/**
 * Resources with their items: of the departments' district-built systems (what annex 3 covers), or
 * the given resources.
 */
export async function existingResources(db: Db, scope: { departmentIds: readonly number[] } | { resourceIds: readonly number[] }): Promise<ExistingResource[]> {
  let q = db.kysely
    .selectFrom('resources as r')
    .innerJoin('systems as s', 's.id', 'r.system_id')
    .selectAll('r')
    .select('s.name as system_name')
    .select((eb) => eb.selectFrom('feature_summary as f').whereRef('f.resource_id', '=', 'r.id')
      .select((e) => e.fn.coalesce(e.fn.sum<number>('f.n'), e.lit(0)).as('n')).as('feature_count'))
  if ('departmentIds' in scope) {
    if (scope.departmentIds.length === 0) return []
    q = q.where('r.department_id', 'in', scope.departmentIds).where('s.build_level', '=', 'district')
  } else {
    if (scope.resourceIds.length === 0) return []
    q = q.where('r.id', 'in', scope.resourceIds)
  }
  const rows = await q.orderBy('r.id').execute()
  const ids = rows.map((r) => r.id)
  const items = ids.length === 0 ? [] : await db.kysely.selectFrom('data_items').selectAll().where('resource_id', 'in', ids).orderBy('resource_id').orderBy('sort_order').orderBy('id').execute()
  const byResource = new Map<number, ExistingResource['items']>()
  for (const i of items) {
    const list = byResource.get(i.resource_id) ?? []
    list.push({ id: i.id, name: i.name, dataType: i.data_type, length: i.length, sortOrder: i.sort_order })
    byResource.set(i.resource_id, list)
  }
  return rows.map((r) => ({
    id: r.id,
    departmentId: r.department_id,
    systemId: r.system_id,
    systemName: r.system_name,
    name: r.name,
    subcategoryCode: r.subcategory_code,
    provisionMode: r.provision_mode,
    updateCycle: r.update_cycle,
    reviewer: r.reviewer,
    filler: r.filler,
    phone: r.phone,
    filledAt: r.filled_at,
    items: byResource.get(r.id) ?? [],
    featureCount: Number(r.feature_count ?? 0),
  }))
}

/** Writes a systems plan through `trx` (the caller's transaction); returns the ids of added systems in plan order. */
export async function applySystemsPlan(trx: Kysely<Database>, plan: SystemsPlan, now: Date): Promise<number[]> {
  const at = now.toISOString()
  const added: number[] = []
  for (const c of plan.changes) {
    if (c.action === 'remove') {
      await trx.deleteFrom('systems').where('id', '=', c.existingId!).execute()
      continue
    }
    const d = c.draft!
    const row = {
      name: d.name, build_level: d.buildLevel, builder: d.builder, operator: d.operator, deployment: d.deployment, run_status: d.runStatus,
      security_level: d.securityLevel, shares_data: d.sharesData ? 1 : 0, sharing_modes: JSON.stringify(d.sharingModes), networks: JSON.stringify(d.networks),
      reviewer: d.reviewer, filler: d.filler, phone: d.phone, filled_at: d.filledAt, updated_at: at,
    }
    if (c.action === 'add') {
      added.push((await trx.insertInto('systems').values({ ...row, department_id: d.departmentId, created_at: at }).returning('id').executeTakeFirstOrThrow()).id)
    } else {
      await trx.updateTable('systems').set(row).where('id', '=', c.existingId!).execute()
    }
  }
  return added
}

/**
 * Writes a resources plan through `trx` (the caller's transaction); a resource whose content changed
 * gets an entry in its update history (source 表格导入 or 手工维护). Returns the ids of added resources
 * in plan order.
 */
export async function applyResourcesPlan(trx: Kysely<Database>, plan: ResourcesPlan, now: Date, source: 'import' | 'manual'): Promise<number[]> {
  const at = now.toISOString()
  const added: number[] = []
  for (const c of plan.changes) {
    if (c.action === 'remove') {
      await trx.deleteFrom('resources').where('id', '=', c.existingId!).execute()
      continue
    }
    const d = c.draft!
    const row = {
      system_id: d.systemId, subcategory_code: d.subcategoryCode, name: d.name, provision_mode: d.provisionMode, update_cycle: d.updateCycle,
      reviewer: d.reviewer, filler: d.filler, phone: d.phone, filled_at: d.filledAt, updated_at: at,
    }
    let id: number
    if (c.action === 'add') {
      const extras = { ...NEW_RESOURCE_EXTRAS, ...d.extras }
      id = (await trx.insertInto('resources').values({
        ...row, department_id: d.departmentId, subject_class: extras.subjectClass, purpose: extras.purpose, sharing_attribute: extras.sharingAttribute,
        sensitivity: extras.sensitivity, last_updated_at: null, created_at: at,
      }).returning('id').executeTakeFirstOrThrow()).id
      added.push(id)
    } else {
      id = c.existingId!
      await trx.updateTable('resources').set(row).where('id', '=', id).execute()
      if (d.extras) {
        await trx.updateTable('resources').set({
          subject_class: d.extras.subjectClass, purpose: d.extras.purpose, sharing_attribute: d.extras.sharingAttribute, sensitivity: d.extras.sensitivity, updated_at: at,
        }).where('id', '=', id).execute()
      }
    }
    for (const i of c.items.removed) await trx.deleteFrom('data_items').where('id', '=', i.id).execute()
    for (const i of c.items.changed) await trx.updateTable('data_items').set({ name: i.draft.name, data_type: i.draft.dataType, length: i.draft.length }).where('id', '=', i.id).execute()
    const inserts: Insertable<DataItemsTable>[] = []
    for (const [index, item] of d.items.entries()) {
      if (c.items.added.includes(item)) inserts.push({ resource_id: id, name: item.name, data_type: item.dataType, length: item.length, sort_order: index })
      else await trx.updateTable('data_items').set({ sort_order: index }).where('resource_id', '=', id).where('name', '=', item.name).where('sort_order', '<>', index).execute()
    }
    await insertMany(trx, 'data_items', inserts)
    if (c.contentChanged) {
      const parts = [
        c.action === 'add' ? '新增数据资源' : '',
        c.fields.filter((f) => !['审核人', '填报人', '联系电话', '填报时间'].includes(f.label)).map((f) => `修改${f.label}`).join('、'),
        c.items.added.length ? `新增数据项 ${c.items.added.length} 个` : '',
        c.items.changed.length ? `修改数据项 ${c.items.changed.length} 个` : '',
        c.items.removed.length ? `删除数据项 ${c.items.removed.length} 个` : '',
      ].filter(Boolean)
      await trx.insertInto('resource_updates').values({
        resource_id: id, updated_at: at, record_count: d.items.length, source, note: `${source === 'import' ? '表格导入' : '在线编辑'}：${parts.join('；')}`,
      }).execute()
    }
  }
  return added
}

/** Whether a department takes part in a survey round. */
export async function hasReportRow(db: Db, roundId: number, departmentId: number): Promise<boolean> {
  return !!(await db.kysely.selectFrom('survey_round_departments').select('round_id').where('round_id', '=', roundId).where('department_id', '=', departmentId).executeTakeFirst())
}

/**
 * Records through `trx` that departments handed in a form in a round. The first hand-in time is kept,
 * so a later correction does not make a department late.
 */
export async function markReported(trx: Kysely<Database>, roundId: number, departmentIds: readonly number[], form: 'systems' | 'resources', now: Date): Promise<void> {
  const column = form === 'systems' ? 'systems_reported_at' : 'resources_reported_at'
  for (const id of departmentIds) {
    await trx.updateTable('survey_round_departments')
      .set({ [column]: sql`coalesce(${sql.ref(column)}, ${now.toISOString()})`, no_systems: 0 })
      .where('round_id', '=', roundId).where('department_id', '=', id).execute()
  }
}

/** "No systems" (无系统也需反馈): the department handed in both forms empty. */
export async function markNoSystems(db: Db, roundId: number, departmentId: number, now: Date): Promise<void> {
  await db.kysely.updateTable('survey_round_departments')
    .set({ no_systems: 1, systems_reported_at: sql`coalesce(systems_reported_at, ${now.toISOString()})`, resources_reported_at: null })
    .where('round_id', '=', roundId).where('department_id', '=', departmentId).execute()
}
