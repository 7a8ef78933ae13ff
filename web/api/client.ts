import { hc, type ClientResponse } from 'hono/client'
import type { AppType } from '../../dist/api-types/server/app.js'
import type { FilterState } from './filter-params.js'
import { filtersToSearchParams } from './filter-params.js'
import type { FeatureDetail, FeaturePage, RegionProperties, Bbox } from './types.js'
import type { AtlasFeatureCollection } from './geojson.js'

/** The one place the web app talks HTTP: every call of the API, typed by the server's routes. */

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
 * The one request function of the web app, under the typed client and the few calls it cannot type
 * (uploads, downloads): same-origin credentials, the CSRF header on every non-GET call, the product's
 * error shape as an ApiError, and one retry after the session layer recovered from a 401 (kiosk link
 * re-opened) or a stale CSRF token.
 */
export async function send(input: string | URL | Request, init: RequestInit = {}, retried = false): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase()
  const headers = new Headers(init.headers)
  if (!headers.has('accept')) headers.set('accept', 'application/json')
  if (method !== 'GET') {
    const token = hooks.csrfToken()
    if (token) headers.set('x-csrf-token', token)
  }
  const res = await fetch(input, { ...init, method, headers, credentials: 'same-origin' })
  if (res.ok) return res
  const error = await failure(res)
  if (!retried && res.status === 401 && error.code === 'unauthenticated' && (await hooks.onUnauthenticated())) return send(input, init, true)
  if (!retried && res.status === 403 && error.code === 'csrf' && (await hooks.onCsrfRejected())) return send(input, init, true)
  throw error
}

/** A call by path (uploads, links the server gave): JSON or FormData in, JSON out; a 204 resolves to undefined. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const qs = options.params && [...options.params.keys()].length > 0 ? `?${options.params}` : ''
  let body: RequestInit['body']
  const headers: Record<string, string> = {}
  if (options.body instanceof FormData) body = options.body
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['content-type'] = 'application/json'
  }
  const res = await send(`${path}${qs}`, { method: options.method ?? 'GET', headers, body, signal: options.signal })
  return res.status === 204 ? (undefined as T) : ((await res.json()) as T)
}

// The page's origin; unit tests in Node have none, and any base does there (they stub fetch).
const origin = (globalThis as { location?: { origin: string } }).location?.origin ?? 'http://atlas.invalid'

/**
 * The API as the server declares it (`hc<AppType>`): paths, parameters and answers are checked against
 * the server's routes at build time. Types come from dist/api-types, which `npm run typecheck` writes
 * from server/app.ts (tsconfig.api-types.json).
 */
export const routes = hc<AppType>(origin, { fetch: send }).api

/** The JSON body of an answer, of any of the statuses and formats a route answers with. */
type Body<R> = R extends ClientResponse<infer T, any, any> ? T : never

/** The JSON body of a typed call's answer (errors were thrown by send as ApiError). */
export async function answer<R extends ClientResponse<unknown, any, any>>(call: Promise<R>): Promise<Body<R>> {
  return (await call).json() as Promise<Body<R>>
}

/** Waits for a typed call that answers with no content (204). */
export async function done(call: Promise<unknown>): Promise<void> {
  await call
}

/** Query parameters of a filter (and extra values) for a typed call. */
export function query(filters?: FilterState, extra: Record<string, string | number | undefined> = {}): Record<string, string> {
  return Object.fromEntries(withFilters(filters, extra))
}

/** Request options of a typed call that can be cancelled. */
export const cancel = (signal?: AbortSignal) => ({ init: { signal } })

function getJson<T>(path: string, params?: URLSearchParams, signal?: AbortSignal): Promise<T> {
  return request<T>(path, { params, signal })
}

function withFilters(filters: FilterState | undefined, extra: Record<string, string | number | undefined> = {}) {
  const params = filters ? filtersToSearchParams(filters) : new URLSearchParams()
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') params.set(k, String(v))
  return params
}

export const api = {
  meta: (signal?: AbortSignal) => answer(routes.meta.$get(undefined, cancel(signal))),

  departments: (filters?: FilterState, signal?: AbortSignal) => answer(routes.departments.$get({ query: query(filters) }, cancel(signal))),
  department: (id: number | string, signal?: AbortSignal) => answer(routes.departments[':id'].$get({ param: { id: String(id) } }, cancel(signal))),

  systems: (params: { department?: string; q?: string; page?: number; pageSize?: number }, signal?: AbortSignal) =>
    answer(routes.systems.$get({ query: query(undefined, params) }, cancel(signal))),
  system: (id: number | string, signal?: AbortSignal) => answer(routes.systems[':id'].$get({ param: { id: String(id) } }, cancel(signal))),

  resources: (filters: FilterState, page = 1, pageSize = 50, signal?: AbortSignal) =>
    answer(routes.resources.$get({ query: query(filters, { page, pageSize }) }, cancel(signal))),
  resource: (id: number | string, signal?: AbortSignal) => answer(routes.resources[':id'].$get({ param: { id: String(id) } }, cancel(signal))),

  items: (filters: FilterState, page = 1, pageSize = 50, signal?: AbortSignal) =>
    answer(routes.items.$get({ query: query(filters, { page, pageSize }) }, cancel(signal))),

  search: (q: string, limit = 12, signal?: AbortSignal) => answer(routes.search.$get({ query: { q, limit: String(limit) } }, cancel(signal))),

  feature: (id: number | string, signal?: AbortSignal) =>
    request<FeatureDetail>(`/api/features/${encodeURIComponent(id)}`, { signal }),

  regions: (type: 'district' | 'grid', signal?: AbortSignal) =>
    request<AtlasFeatureCollection<RegionProperties>>('/api/regions', { params: new URLSearchParams({ type }), signal }),

  overview: (filters: FilterState, signal?: AbortSignal) => answer(routes.stats.overview.$get({ query: query(filters) }, cancel(signal))),
  coverage: (filters: FilterState, signal?: AbortSignal) => answer(routes.stats.coverage.$get({ query: query(filters) }, cancel(signal))),
  updateCycles: (filters: FilterState, signal?: AbortSignal) => answer(routes.stats['update-cycles'].$get({ query: query(filters) }, cancel(signal))),
  freshness: (filters: FilterState, signal?: AbortSignal) => answer(routes.stats.freshness.$get({ query: query(filters) }, cancel(signal))),
  risk: (filters: FilterState, signal?: AbortSignal) => answer(routes.stats.risk.$get({ query: query(filters) }, cancel(signal))),
  reporting: (signal?: AbortSignal) => answer(routes.stats.reporting.$get(undefined, cancel(signal))),

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
