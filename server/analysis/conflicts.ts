import type { DataResource } from '../domain/types.js'
import type { ItemSourceRow } from './queries.js'

/**
 * The name under which two reports count as the same datum: full-width forms folded to half-width
 * (NFKC), all whitespace removed, case folded. Different words stay different (联系电话 ≠ 联系方式).
 */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, '').toLowerCase()
}

export interface ConflictSource { departmentId: number; departmentName: string; systemId: number; systemName: string; resourceId: number; resourceName: string; asWritten: string }
export interface Conflict { key: string; name: string; subcategoryCode: string | null; departments: number; sources: ConflictSource[] }

function groupConflicts(entries: { key: string; subcategoryCode: string | null; written: string; row: ItemSourceRow }[]): Conflict[] {
  const groups = new Map<string, { subcategoryCode: string | null; sources: Map<string, ConflictSource>; names: Map<string, number> }>()
  for (const e of entries) {
    const g = groups.get(e.key) ?? { subcategoryCode: e.subcategoryCode, sources: new Map(), names: new Map() }
    groups.set(e.key, g)
    g.names.set(e.written, (g.names.get(e.written) ?? 0) + 1)
    const r = e.row
    g.sources.set(`${r.resource_id}`, {
      departmentId: r.department_id, departmentName: r.department_name, systemId: r.system_id, systemName: r.system_name,
      resourceId: r.resource_id, resourceName: r.resource_name, asWritten: e.written,
    })
  }
  const out: Conflict[] = []
  for (const [key, g] of groups) {
    const departments = new Set([...g.sources.values()].map((s) => s.departmentId)).size
    if (departments < 2) continue
    // Show the spelling most sources use.
    const name = [...g.names].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0]
    out.push({ key, name, subcategoryCode: g.subcategoryCode, departments, sources: [...g.sources.values()] })
  }
  return out.sort((a, b) => b.departments - a.departments || b.sources.length - a.sources.length || a.name.localeCompare(b.name, 'zh'))
}

/**
 * One-source (一数一源) conflicts: the same resource name, or the same data item, reported by more than one
 * department. Items are compared within a sub-category by default (the same datum about the same subject);
 * scope "all" compares them across the whole catalog.
 */
export function oneSourceConflicts(resources: DataResource[], rows: ItemSourceRow[], scope: 'subcategory' | 'all') {
  const resourceEntries: Parameters<typeof groupConflicts>[0] = resources.map((r) => ({
    key: normaliseName(r.name), subcategoryCode: null, written: r.name,
    row: { item: '', resource_id: r.id, resource_name: r.name, subcategory_code: r.subcategoryCode, system_id: r.systemId, system_name: r.systemName,
      department_id: r.departmentId, department_name: r.departmentName },
  }))
  const itemEntries: Parameters<typeof groupConflicts>[0] = []
  for (const row of rows) {
    const n = normaliseName(row.item)
    const sub = scope === 'subcategory' ? row.subcategory_code : null
    itemEntries.push({ key: sub ? `${sub}|${n}` : n, subcategoryCode: sub, written: row.item, row })
  }
  return { scope, resources: groupConflicts(resourceEntries), items: groupConflicts(itemEntries) }
}
