import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { AppError } from './errors.js'

/**
 * Content-Security-Policy of the web app: scripts only from this origin (no inline script, no eval);
 * MapLibre starts its workers from blob: URLs and draws images from blob:/data:; inline style
 * attributes are allowed because Vue and MapLibre position elements with them.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const SECURITY_HEADERS: [string, string][] = [
  ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=()'],
]

/**
 * Security headers on every response. They are set on the finished response's own headers: setting
 * them through the context after the handler (`c.header`) would rebuild the response around a stream
 * body, which takes @hono/node-server off its fast path for string and byte bodies — most of the cost
 * of a cached tile. A response whose headers cannot be changed in place gets them through the context.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next()
    const api = c.req.path.startsWith('/api/')
    try {
      const headers = c.res.headers
      for (const [name, value] of SECURITY_HEADERS) headers.set(name, value)
      if (api && !headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store')
    } catch {
      for (const [name, value] of SECURITY_HEADERS) c.header(name, value)
      if (api && !c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store')
    }
  }
}

/** JSON bodies of the API are small; uploads (forms, 10 MB), ingest (20 MB) and the basemap file set their own, larger limits. */
const API_BODY_LIMIT = 1024 * 1024

/** Routes that state a larger limit of their own. */
const OWN_LIMITS = [
  /^\/api\/forms\/[^/]+\/(preview|import)$/, /^\/api\/resources\/\d+\/geodata\/(preview|import)$/, /^\/api\/risk\/assessments\/(preview|import)$/,
  /^\/api\/ingest\/(updates|readings|assessments)$/, /^\/api\/basemap\/file$/,
]

export function requestLimits(): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: API_BODY_LIMIT,
    onError: () => {
      throw new AppError(413, 'too_large', `request body exceeds ${API_BODY_LIMIT / 1024 / 1024} MB`)
    },
  })
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || OWN_LIMITS.some((r) => r.test(c.req.path))) return next()
    return limit(c, next)
  }
}
