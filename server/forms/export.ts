/**
 * The catalog back into the two official forms: templates for a department (pre-filled with its name
 * and systems) and exports of all, one department, or the current filter.
 */
import type { Db } from '../db/connect.js'
import type { FooterDraft, ResourceDraft, SystemDraft } from './model.js'
import { formDate, nameKey } from './normalise.js'
import { categoryNames, existingResources, existingSystems, loadFormContext } from './queries.js'
import { resourcesWorkbook, systemsWorkbook, type ResourcesSheet, type SystemSheet } from './write.js'

/** What to export: departments (all when empty), and optionally only these resources. */
export interface ExportScope { departmentIds: readonly number[]; resourceIds?: readonly number[] }

async function departmentsIn(db: Db, ids: readonly number[]) {
  const ctx = await loadFormContext(db)
  const departments = ids.length ? ctx.departments.filter((d) => ids.includes(d.id)) : [...ctx.departments]
  return { ctx, departments }
}

/** Annex 2 for the scope: one sheet per system. A template (`template`) adds a blank sheet. */
export async function exportSystems(db: Db, scope: ExportScope, template: boolean): Promise<Buffer> {
  const { departments } = await departmentsIn(db, scope.departmentIds)
  let systems = await existingSystems(db, departments.map((d) => d.id))
  if (scope.resourceIds) {
    const ids = new Set((await existingResources(db, { resourceIds: scope.resourceIds })).map((r) => r.systemId))
    systems = systems.filter((s) => ids.has(s.id))
  }
  const nameOf = new Map(departments.map((d) => [d.id, d.name]))
  const sheets: SystemSheet[] = systems.map((s) => ({ departmentName: nameOf.get(s.departmentId) ?? '', system: s }))
  const blankFor = template ? (departments.length === 1 ? departments[0]!.name : '') : undefined
  return systemsWorkbook(sheets, blankFor === undefined ? {} : { blankSheetFor: blankFor })
}

const BLANK_FOOTER: FooterDraft = { reviewer: '', filler: '', phone: '', filledAt: null }

/**
 * A department's resources grouped by footer, the largest group first. The form has one footer
 * (审核人 / 填报人 / 联系电话 / 填报时间) per sheet and an import gives it to every resource on the sheet,
 * so resources whose footers differ go on sheets of their own: importing the export changes nothing.
 */
function byFooter<T extends FooterDraft>(resources: readonly T[]): { footer: FooterDraft; resources: T[] }[] {
  const groups = new Map<string, { footer: FooterDraft; resources: T[] }>()
  for (const r of resources) {
    const key = JSON.stringify([r.reviewer, r.filler, r.phone, formDate(r.filledAt)])
    const group = groups.get(key) ?? { footer: { reviewer: r.reviewer, filler: r.filler, phone: r.phone, filledAt: r.filledAt }, resources: [] }
    group.resources.push(r)
    groups.set(key, group)
  }
  return [...groups.values()].sort((a, b) => b.resources.length - a.resources.length)
}

/** Annex 3 for the scope: one sheet per department, each resource's cells merged over its items. */
export async function exportResources(db: Db, scope: ExportScope, template: boolean): Promise<Buffer> {
  const { departments, ctx } = await departmentsIn(db, scope.departmentIds)
  const names = await categoryNames(db)
  const all = template ? [] : await existingResources(db, { departmentIds: departments.map((d) => d.id) })
  const only = scope.resourceIds ? new Set(scope.resourceIds) : null
  const resources = only ? all.filter((r) => only.has(r.id)) : all
  const sheets: ResourcesSheet[] = []
  for (const d of template ? [] : departments) {
    const own = resources.filter((r) => r.departmentId === d.id)
    if (own.length === 0) continue
    const drafts: ResourceDraft[] = own.map((r) => ({
      departmentId: r.departmentId, systemId: r.systemId, systemName: r.systemName, subcategoryCode: r.subcategoryCode, name: r.name,
      provisionMode: r.provisionMode as ResourceDraft['provisionMode'], updateCycle: r.updateCycle as ResourceDraft['updateCycle'],
      items: r.items.map((i) => ({ name: i.name, dataType: i.dataType as ResourceDraft['items'][number]['dataType'], length: i.length })),
      reviewer: r.reviewer, filler: r.filler, phone: r.phone, filledAt: r.filledAt,
    }))
    const base = departments.length === 1 ? '城市安全数据资源摸排表' : d.name
    // Sheet names are made unique when the workbook is written (…(2), …(3)).
    byFooter(drafts).forEach((group) => sheets.push({
      name: base,
      rows: group.resources.map((resource) => ({ departmentName: d.name, categoryName: names(resource.subcategoryCode), resource })),
      footer: group.footer,
    }))
  }
  if (sheets.length === 0) sheets.push({ name: '城市安全数据资源摸排表', rows: [], footer: BLANK_FOOTER })
  const districtSystems = ctx.systems
    .filter((s) => s.buildLevel === 'district' && departments.some((d) => d.id === s.departmentId))
    .map((s) => s.name)
  return resourcesWorkbook(sheets, {
    departments: departments.map((d) => d.name),
    systems: [...new Map(districtSystems.map((n) => [nameKey(n), n])).values()],
    categories: ctx.subcategories.map((s) => names(s.code)),
  })
}

export type { SystemDraft }
