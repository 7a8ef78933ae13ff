import { hc, type ClientResponse } from 'hono/client'
import type { AppType } from '../../dist/api-types/server/app.js'

/**
 * The one place the web app talks HTTP. Callers use the typed client `api` (paths, parameters and
 * bodies checked against the server's routes) and read the answer with `answer`; every request goes
 * through `send`.
 */

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

async function failure(res: Response): Promise<ApiError> {
  let code = 'http_error'
  // Over HTTP/2 (deploy/nginx.conf) a response has no status text.
  let message = res.statusText ? `${res.status} ${res.statusText}` : `HTTP ${res.status}`
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
 * The one request function of the web app, the `fetch` of the typed client: same-origin credentials,
 * the CSRF header on every non-GET call, the product's error shape as an ApiError, and one retry after
 * the session layer recovered from a 401 (kiosk link re-opened) or a stale CSRF token.
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

// The page's origin; unit tests in Node have none, and any base does there (they stub fetch).
const origin = (globalThis as { location?: { origin: string } }).location?.origin ?? 'http://atlas.invalid'

/**
 * The API as the server declares it (`hc<AppType>`), e.g. `api.stats.overview.$get({ query })`:
 * paths, parameters and answers are checked against the server's routes at build time. Types come
 * from dist/api-types, which `npm run typecheck` writes from server/app.ts (tsconfig.api-types.json);
 * only types are imported, so none of the server's code reaches the bundle.
 */
export const api = hc<AppType>(origin, { fetch: send }).api

/** The JSON body of an answer, of any of the statuses and formats a route answers with. */
type Body<R> = R extends ClientResponse<infer T, any, any> ? T : never

/** The JSON body of a typed call's answer (a failed call was thrown by send as an ApiError). */
export async function answer<R extends ClientResponse<unknown, any, any>>(call: Promise<R>): Promise<Body<R>> {
  return (await call).json() as Promise<Body<R>>
}

/** Options of a typed call that can be cancelled. */
export const cancel = (signal?: AbortSignal) => ({ init: { signal } })

/**
 * Options of a typed call that uploads a multipart body. The upload routes read their bodies
 * themselves (no validator the typed client could follow), so the body goes in as it is.
 */
export const upload = (body: FormData) => ({ init: { body } })
