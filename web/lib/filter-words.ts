import { FEATURE_KINDS, FRESHNESS_STATUSES, RISK_LEVELS, SENSITIVITIES, SHARING_MODES, UPDATE_CYCLES } from '../../server/domain/enums.js'
import type { FilterState, ListFilterKey } from '../api/filter-params.js'

/** What the catalog calls things, for putting a filter into words. */
export interface FilterNames {
  domains: readonly { code: string; name: string; subcategories: readonly { code: string; name: string }[] }[]
  departments: readonly { id: number; name: string; shortName?: string | null }[]
  districts?: Readonly<Record<string, string>>
}

const TABLES: Partial<Record<ListFilterKey, { title: string; options: readonly { code: string; label: string }[] }>> = {
  kind: { title: '要素类型', options: FEATURE_KINDS },
  risk: { title: '风险等级', options: RISK_LEVELS },
  updateCycle: { title: '更新周期', options: UPDATE_CYCLES },
  freshness: { title: '更新及时性', options: FRESHNESS_STATUSES },
  sharingMode: { title: '提供方式', options: SHARING_MODES },
  sensitivity: { title: '敏感级别', options: SENSITIVITIES },
}

/**
 * A filter in words, one part per kind of filter, e.g. ['领域：公共安全', '风险等级：重大风险、较大风险'];
 * an empty list when nothing is filtered. Unknown codes are shown as they are.
 */
export function describeFilters(f: FilterState, names: FilterNames): string[] {
  const parts: string[] = []
  const list = (title: string, labels: string[]) => { if (labels.length) parts.push(`${title}：${labels.join('、')}`) }
  list('镇街', f.district.map((d) => names.districts?.[d] ?? d))
  list('领域', f.domain.map((d) => names.domains.find((x) => x.code === d)?.name ?? d))
  const subs = new Map(names.domains.flatMap((d) => d.subcategories.map((s) => [s.code, s.name] as const)))
  list('子类', f.subcategory.map((s) => subs.get(s) ?? s))
  list('部门', f.department.map((id) => {
    const d = names.departments.find((x) => String(x.id) === id)
    return d ? d.shortName || d.name : id
  }))
  for (const [key, t] of Object.entries(TABLES) as [ListFilterKey, NonNullable<(typeof TABLES)[ListFilterKey]>][]) {
    list(t.title, f[key].map((c) => t.options.find((o) => o.code === c)?.label ?? c))
  }
  if (f.q.trim()) parts.push(`检索：“${f.q.trim()}”`)
  return parts
}
