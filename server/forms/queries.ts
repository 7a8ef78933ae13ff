/**
 * SQL for the forms: the reference data a form is checked against, the catalog as it stands for a
 * department, and writing a confirmed plan in one transaction.
 */
import type { Db } from '../db/connect.js'
import type { BuildLevel, Deployment, Network, RunStatus, SecurityLevel, SharingMode } from '../domain/enums.js'
import { categoryLabel } from '../domain/taxonomy.js'
import { FormContext } from './context.js'
import { NEW_RESOURCE_EXTRAS } from './model.js'
import type { ExistingResource, ExistingSystem, ResourcesPlan, SystemsPlan } from './plan.js'

/** Departments, systems and the taxonomy, for checking a form. */
export async function loadFormContext(db: Db): Promise<FormContext> {
  const [departments, systems, subcategories, items] = await Promise.all([
    db.kysely.selectFrom('departments').select(['id', 'name', 'short_name']).orderBy('sort_order').orderBy('id').execute(),
    db.kysely.selectFrom('systems').select(['id', 'department_id', 'name', 'build_level']).orderBy('id').execute(),
    db.kysely.selectFrom('subcategories').select(['code', 'name']).orderBy('sort_order').execute(),
    db.kysely.selectFrom('subcategory_items').select(['name', 'subcategory_code']).execute(),
  ])
  return new FormContext(
    departments.map((d) => ({ id: d.id, name: d.name, shortName: d.short_name })),
    systems.map((s) => ({ id: s.id, departmentId: s.department_id, name: s.name, buildLevel: s.build_level })),
    subcategories,
    items.map((i) => ({ name: i.name, subcategoryCode: i.subcategory_code })),
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

/** Writes a systems plan; returns the ids of added systems in plan order. */
export function applySystemsPlan(db: Db, plan: SystemsPlan, now: Date): number[] {
  const at = now.toISOString()
  const { sqlite } = db
  const ins = sqlite.prepare(`INSERT INTO systems (department_id, name, build_level, builder, operator, deployment, run_status, security_level,
    shares_data, sharing_modes, networks, reviewer, filler, phone, filled_at, created_at, updated_at)
    VALUES (@departmentId, @name, @buildLevel, @builder, @operator, @deployment, @runStatus, @securityLevel,
    @sharesData, @sharingModes, @networks, @reviewer, @filler, @phone, @filledAt, @at, @at)`)
  const upd = sqlite.prepare(`UPDATE systems SET name = @name, build_level = @buildLevel, builder = @builder, operator = @operator,
    deployment = @deployment, run_status = @runStatus, security_level = @securityLevel, shares_data = @sharesData,
    sharing_modes = @sharingModes, networks = @networks, reviewer = @reviewer, filler = @filler, phone = @phone,
    filled_at = @filledAt, updated_at = @at WHERE id = @id`)
  const del = sqlite.prepare(`DELETE FROM systems WHERE id = ?`)
  const added: number[] = []
  sqlite.transaction(() => {
    for (const c of plan.changes) {
      if (c.action === 'remove') { del.run(c.existingId); continue }
      const d = c.draft!
      const row = {
        departmentId: d.departmentId, name: d.name, buildLevel: d.buildLevel, builder: d.builder, operator: d.operator,
        deployment: d.deployment, runStatus: d.runStatus, securityLevel: d.securityLevel, sharesData: d.sharesData ? 1 : 0,
        sharingModes: JSON.stringify(d.sharingModes), networks: JSON.stringify(d.networks), reviewer: d.reviewer,
        filler: d.filler, phone: d.phone, filledAt: d.filledAt, at,
      }
      if (c.action === 'add') added.push(Number(ins.run(row).lastInsertRowid))
      else upd.run({ ...row, id: c.existingId })
    }
  })()
  return added
}

/**
 * Writes a resources plan; a resource whose content changed gets an entry in its update history
 * (source 表格导入 or 手工维护). Returns the ids of added resources in plan order.
 */
export function applyResourcesPlan(db: Db, plan: ResourcesPlan, now: Date, source: 'import' | 'manual'): number[] {
  const at = now.toISOString()
  const { sqlite } = db
  const ins = sqlite.prepare(`INSERT INTO resources (system_id, department_id, subcategory_code, name, provision_mode, update_cycle,
    subject_class, purpose, sharing_attribute, sensitivity, reviewer, filler, phone, filled_at, created_at, updated_at)
    VALUES (@systemId, @departmentId, @subcategoryCode, @name, @provisionMode, @updateCycle,
    @subjectClass, @purpose, @sharingAttribute, @sensitivity, @reviewer, @filler, @phone, @filledAt, @at, @at)`)
  const upd = sqlite.prepare(`UPDATE resources SET system_id = @systemId, subcategory_code = @subcategoryCode, name = @name,
    provision_mode = @provisionMode, update_cycle = @updateCycle, reviewer = @reviewer, filler = @filler, phone = @phone,
    filled_at = @filledAt, updated_at = @at WHERE id = @id`)
  const updExtras = sqlite.prepare(`UPDATE resources SET subject_class = @subjectClass, purpose = @purpose,
    sharing_attribute = @sharingAttribute, sensitivity = @sensitivity, updated_at = @at WHERE id = @id`)
  const del = sqlite.prepare(`DELETE FROM resources WHERE id = ?`)
  const insItem = sqlite.prepare(`INSERT INTO data_items (resource_id, name, data_type, length, sort_order) VALUES (?, ?, ?, ?, ?)`)
  const updItem = sqlite.prepare(`UPDATE data_items SET name = ?, data_type = ?, length = ? WHERE id = ?`)
  const delItem = sqlite.prepare(`DELETE FROM data_items WHERE id = ?`)
  const order = sqlite.prepare(`UPDATE data_items SET sort_order = ? WHERE resource_id = ? AND name = ? AND sort_order <> ?`)
  const history = sqlite.prepare(`INSERT INTO resource_updates (resource_id, updated_at, record_count, source, note) VALUES (?, ?, ?, ?, ?)`)
  const added: number[] = []
  sqlite.transaction(() => {
    for (const c of plan.changes) {
      if (c.action === 'remove') { del.run(c.existingId); continue }
      const d = c.draft!
      const row = {
        systemId: d.systemId, departmentId: d.departmentId, subcategoryCode: d.subcategoryCode, name: d.name,
        provisionMode: d.provisionMode, updateCycle: d.updateCycle, reviewer: d.reviewer, filler: d.filler, phone: d.phone,
        filledAt: d.filledAt, at,
      }
      let id: number
      if (c.action === 'add') {
        id = Number(ins.run({ ...row, ...NEW_RESOURCE_EXTRAS, ...d.extras }).lastInsertRowid)
        added.push(id)
      } else {
        id = c.existingId!
        upd.run({ ...row, id })
        if (d.extras) updExtras.run({ ...d.extras, at, id })
      }
      for (const i of c.items.removed) delItem.run(i.id)
      for (const i of c.items.changed) updItem.run(i.draft.name, i.draft.dataType, i.draft.length, i.id)
      d.items.forEach((item, index) => {
        if (c.items.added.includes(item)) insItem.run(id, item.name, item.dataType, item.length, index)
        else order.run(index, id, item.name, index)
      })
      if (c.contentChanged) {
        const parts = [
          c.action === 'add' ? '新增数据资源' : '',
          c.fields.filter((f) => !['审核人', '填报人', '联系电话', '填报时间'].includes(f.label)).map((f) => `修改${f.label}`).join('、'),
          c.items.added.length ? `新增数据项 ${c.items.added.length} 个` : '',
          c.items.changed.length ? `修改数据项 ${c.items.changed.length} 个` : '',
          c.items.removed.length ? `删除数据项 ${c.items.removed.length} 个` : '',
        ].filter(Boolean)
        history.run(id, at, d.items.length, source, `${source === 'import' ? '表格导入' : '在线编辑'}：${parts.join('；')}`)
      }
    }
  })()
  return added
}

/** Whether a department takes part in a survey round. */
export function hasReportRow(db: Db, roundId: number, departmentId: number): boolean {
  return db.sqlite.prepare(`SELECT 1 FROM survey_round_departments WHERE round_id = ? AND department_id = ?`).get(roundId, departmentId) !== undefined
}

/**
 * Records that departments handed in a form in a round. The first hand-in time is kept, so a later
 * correction does not make a department late.
 */
export function markReported(db: Db, roundId: number, departmentIds: readonly number[], form: 'systems' | 'resources', now: Date): void {
  const column = form === 'systems' ? 'systems_reported_at' : 'resources_reported_at'
  const stmt = db.sqlite.prepare(`UPDATE survey_round_departments SET ${column} = COALESCE(${column}, ?), no_systems = 0
    WHERE round_id = ? AND department_id = ?`)
  db.sqlite.transaction(() => {
    for (const id of departmentIds) stmt.run(now.toISOString(), roundId, id)
  })()
}

/** "No systems" (无系统也需反馈): the department handed in both forms empty. */
export function markNoSystems(db: Db, roundId: number, departmentId: number, now: Date): void {
  db.sqlite.prepare(`UPDATE survey_round_departments SET no_systems = 1, systems_reported_at = COALESCE(systems_reported_at, ?),
    resources_reported_at = NULL WHERE round_id = ? AND department_id = ?`).run(now.toISOString(), roundId, departmentId)
}
