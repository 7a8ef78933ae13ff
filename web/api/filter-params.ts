/**
 * The analyst's filter state: a plain serialisable object that round-trips through the URL query
 * and becomes the API's filter parameters, so a filtered view can be shared or put on the wall.
 */

/** List-valued filters, in the order they appear in the URL. */
const LIST_FILTER_KEYS = [
  'district',
  'domain',
  'subcategory',
  'department',
  'kind',
  'risk',
  'updateCycle',
  'sharingMode',
  'sensitivity',
  'freshness',
] as const

export type ListFilterKey = (typeof LIST_FILTER_KEYS)[number]

export type FilterState = { [K in ListFilterKey]: string[] } & { q: string }

/** A query as vue-router hands it over (values may be arrays or null). */
export type LooseQuery = Record<string, string | null | undefined | (string | null)[]>

/** Filters that select nothing, i.e. everything. */
export function emptyFilters(): FilterState {
  return {
    district: [],
    domain: [],
    subcategory: [],
    department: [],
    kind: [],
    risk: [],
    updateCycle: [],
    sharingMode: [],
    sensitivity: [],
    freshness: [],
    q: '',
  }
}

function splitList(raw: string | null | undefined | (string | null)[]): string[] {
  const parts = (Array.isArray(raw) ? raw : [raw])
    .flatMap((v) => (v == null ? [] : v.split(',')))
    .map((v) => v.trim())
    .filter((v) => v.length > 0)
  return [...new Set(parts)]
}

/** Reads the filters from a URL query; unknown keys are ignored, repeated or comma lists are merged. */
export function filtersFromQuery(query: LooseQuery): FilterState {
  const filters = emptyFilters()
  for (const key of LIST_FILTER_KEYS) filters[key] = splitList(query[key])
  const q = query.q
  filters.q = (Array.isArray(q) ? q.filter((v) => v != null).join(' ') : q ?? '').trim()
  return filters
}

/** Writes the filters as a URL query: comma lists, empty filters omitted, so URLs stay short. */
export function filtersToQuery(filters: FilterState): Record<string, string> {
  const query: Record<string, string> = {}
  for (const key of LIST_FILTER_KEYS) {
    const values = filters[key]
    if (values.length > 0) query[key] = values.join(',')
  }
  if (filters.q.trim()) query.q = filters.q.trim()
  return query
}

/** The same filters as a URLSearchParams string for the API (the API takes the URL's format). */
export function filtersToSearchParams(filters: FilterState): URLSearchParams {
  return new URLSearchParams(filtersToQuery(filters))
}

/** True when no filter is set. */
export function isEmptyFilters(filters: FilterState): boolean {
  return Object.keys(filtersToQuery(filters)).length === 0
}

/** True when both select the same data (order inside a list does not matter). */
export function sameFilters(a: FilterState, b: FilterState): boolean {
  if (a.q.trim() !== b.q.trim()) return false
  return LIST_FILTER_KEYS.every((key) => {
    const x = [...a[key]].sort()
    const y = [...b[key]].sort()
    return x.length === y.length && x.every((v, i) => v === y[i])
  })
}

/** Adds the value when absent, removes it when present. */
export function toggleValue(values: readonly string[], value: string): string[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value]
}

/** Query keys that are not filters but view settings, kept when the filters change. */
export function nonFilterQuery(query: LooseQuery): LooseQuery {
  const out: LooseQuery = {}
  for (const [key, value] of Object.entries(query)) {
    if ((LIST_FILTER_KEYS as readonly string[]).includes(key) || key === 'q') continue
    out[key] = value
  }
  return out
}
