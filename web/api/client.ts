import type { FilterState } from './filter-params.js'
import { filtersToSearchParams } from './filter-params.js'
import type {
  Coverage, DataResource, DepartmentDetail, Department, FeatureDetail, FeaturePage, FreshnessStats,
  ItemRow, MetaResponse, Overview, Page, RegionProperties, ReportingStats, ResourceDetail, RiskStats,
  SearchResult, SystemDetail, UpdateCycleStats, InfoSystem, Bbox,
} from './types.js'
import type { AtlasFeatureCollection } from './geojson.js'

/** The one place the web app talks HTTP: every call of the API, typed with the domain module. */

/** An API error with the server's code, message and details (`{ error: { code, message, details? } }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/**
 * What the session layer plugs into every request (web/stores/auth.ts installs it): the CSRF token for
 * state-changing calls, and what to do when the server says nobody is signed in — redirect to the
 * sign-in page, or re-open the wall's kiosk link. `onUnauthenticated` resolves true when the call is
 * worth one retry; `onCsrfRejected` likewise after fetching a fresh token.
 */
export interface ClientHooks {
  csrfToken: () => string | null
  onUnauthenticated: () => Promise<boolean>
  onCsrfRejected: () => Promise<boolean>
}

const hooks: ClientHooks = {
  csrfToken: () => null,
  onUnauthenticated: async () => false,
  onCsrfRejected: async () => false,
}

/** Installs the session layer's hooks (once, at start). */
export function setClientHooks(next: Partial<ClientHooks>): void {
  Object.assign(hooks, next)
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** A JSON body, or FormData for uploads. */
  body?: unknown
  params?: URLSearchParams
  signal?: AbortSignal
}

async function failure(res: Response): Promise<ApiError> {
  let code = 'http_error'
  let message = `${res.status} ${res.statusText}`
  let details: Record<string, unknown> = {}
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }
    code = body.error?.code ?? code
    message = body.error?.message ?? message
    details = body.error?.details ?? {}
  } catch {
    // Not JSON (a proxy's error page): keep the status line.
  }
  return new ApiError(res.status, code, message, details)
}

/**
 * The one request function of the web app: JSON in and out, the CSRF header on every non-GET call,
 * the product's error shape as an ApiError, and one retry after the session layer recovered from a
 * 401 (kiosk link re-opened) or a stale CSRF token. A 204 resolves to undefined.
 */
export async function request<T>(path: string, options: RequestOptions = {}, retried = false): Promise<T> {
  const method = options.method ?? 'GET'
  const qs = options.params && [...options.params.keys()].length > 0 ? `?${options.params}` : ''
  const headers: Record<string, string> = { accept: 'application/json' }
  let body: RequestInit['body']
  if (options.body instanceof FormData) body = options.body
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['content-type'] = 'application/json'
  }
  if (method !== 'GET') {
    const token = hooks.csrfToken()
    if (token) headers['x-csrf-token'] = token
  }
  const res = await fetch(`${path}${qs}`, { method, headers, body, signal: options.signal, credentials: 'same-origin' })
  if (!res.ok) {
    const error = await failure(res)
    if (!retried && res.status === 401 && error.code === 'unauthenticated' && (await hooks.onUnauthenticated())) {
      return request<T>(path, options, true)
    }
    if (!retried && res.status === 403 && error.code === 'csrf' && (await hooks.onCsrfRejected())) {
      return request<T>(path, options, true)
    }
    throw error
  }
  if (res.status === 204) return undefined as T
  return (await res.json()) as T
}

function getJson<T>(path: string, params?: URLSearchParams, signal?: AbortSignal): Promise<T> {
  return request<T>(path, { params, signal })
}

function withFilters(filters: FilterState | undefined, extra: Record<string, string | number | undefined> = {}) {
  const params = filters ? filtersToSearchParams(filters) : new URLSearchParams()
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') params.set(k, String(v))
  return params
}

export const api = {
  meta: (signal?: AbortSignal) => getJson<MetaResponse>('/api/meta', undefined, signal),

  departments: (filters?: FilterState, signal?: AbortSignal) =>
    getJson<{ items: Department[] }>('/api/departments', withFilters(filters), signal),
  department: (id: number | string, signal?: AbortSignal) =>
    getJson<DepartmentDetail>(`/api/departments/${encodeURIComponent(id)}`, undefined, signal),

  systems: (params: { department?: string; q?: string; page?: number; pageSize?: number }, signal?: AbortSignal) =>
    getJson<Page<InfoSystem>>('/api/systems', withFilters(undefined, params), signal),
  system: (id: number | string, signal?: AbortSignal) =>
    getJson<SystemDetail>(`/api/systems/${encodeURIComponent(id)}`, undefined, signal),

  resources: (filters: FilterState, page = 1, pageSize = 50, signal?: AbortSignal) =>
    getJson<Page<DataResource>>('/api/resources', withFilters(filters, { page, pageSize }), signal),
  resource: (id: number | string, signal?: AbortSignal) =>
    getJson<ResourceDetail>(`/api/resources/${encodeURIComponent(id)}`, undefined, signal),

  items: (filters: FilterState, page = 1, pageSize = 50, signal?: AbortSignal) =>
    getJson<Page<ItemRow>>('/api/items', withFilters(filters, { page, pageSize }), signal),

  search: (q: string, limit = 12, signal?: AbortSignal) =>
    getJson<{ results: SearchResult[] }>('/api/search', withFilters(undefined, { q, limit }), signal),

  feature: (id: number | string, signal?: AbortSignal) =>
    getJson<FeatureDetail>(`/api/features/${encodeURIComponent(id)}`, undefined, signal),

  regions: (type: 'district' | 'grid', signal?: AbortSignal) =>
    getJson<AtlasFeatureCollection<RegionProperties>>('/api/regions', withFilters(undefined, { type }), signal),

  overview: (filters: FilterState, signal?: AbortSignal) =>
    getJson<Overview>('/api/stats/overview', withFilters(filters), signal),
  coverage: (filters: FilterState, signal?: AbortSignal) =>
    getJson<Coverage>('/api/stats/coverage', withFilters(filters), signal),
  updateCycles: (filters: FilterState, signal?: AbortSignal) =>
    getJson<UpdateCycleStats>('/api/stats/update-cycles', withFilters(filters), signal),
  freshness: (filters: FilterState, signal?: AbortSignal) =>
    getJson<FreshnessStats>('/api/stats/freshness', withFilters(filters), signal),
  risk: (filters: FilterState, signal?: AbortSignal) =>
    getJson<RiskStats>('/api/stats/risk', withFilters(filters), signal),
  reporting: (signal?: AbortSignal) => getJson<ReportingStats>('/api/stats/reporting', undefined, signal),

  /**
   * All features for the filters, following the keyset `next` links up to `cap` features so that a
   * huge result cannot freeze the browser (vector tiles take over beyond that in a later issue).
   */
  async features(
    filters: FilterState,
    options: { bbox?: Bbox; extra?: Record<string, string>; cap?: number; pageSize?: number; signal?: AbortSignal } = {},
  ): Promise<{ collection: AtlasFeatureCollection; truncated: boolean }> {
    const cap = options.cap ?? 30_000
    const pageSize = Math.min(options.pageSize ?? 10_000, cap)
    const params = withFilters(filters, { limit: pageSize, ...(options.extra ?? {}) })
    if (options.bbox) params.set('bbox', options.bbox.join(','))
    let page = await getJson<FeaturePage>('/api/features', params, options.signal)
    const features = [...page.features]
    let next = page.links?.find((l) => l.rel === 'next')?.href
    while (next && features.length < cap) {
      // Only the path and query of the link are used, so any base will do (and Node tests have no location).
      const url = new URL(next, 'http://atlas.invalid')
      page = await getJson<FeaturePage>(url.pathname, url.searchParams, options.signal)
      features.push(...page.features)
      next = page.links?.find((l) => l.rel === 'next')?.href
    }
    return { collection: { type: 'FeatureCollection', features: features.slice(0, cap) }, truncated: Boolean(next) }
  },
}
