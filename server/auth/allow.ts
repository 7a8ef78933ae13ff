import { timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import type { SessionRequirement, Viewer } from '../domain/access.js'
import type { AuditAction, AuditResult } from '../domain/enums.js'
import { AppError, forbidden, unauthenticated } from '../http/errors.js'
import { CSRF_HEADER, type AccessControl } from './access-control.js'

declare module 'hono' {
  interface ContextVariableMap {
    /** The access control of the app, set by the gate for allow() on each route. */
    access: AccessControl
  }
}

/**
 * Who may call a route (each route states it with allow(), before anything else it does):
 * - `open`: anyone, signed in or not (the product's metadata, district boundaries, the API's description, one's session);
 * - `sign-in`: the ways in (password, its second step, a wall-screen link): anyone, JSON bodies only, same origin;
 * - `public-read`: the catalog, the map and its statistics: signed-in users and their tokens, wall screens, and
 *   visitors when public access is on;
 * - `read`: signed-in users and their personal access tokens;
 * - `account`: a signed-in user's own account (password, two-factor, tokens), in a browser session;
 * - `session`: ending the session one has, whatever it is (signing out);
 * - `write`: changes by signed-in users in a browser session (department checks are in the handlers);
 * - `admin`: administration, by administrators in a browser session;
 * - `ingest`: a department system with its API key (checked by the handler); no session, no CSRF token;
 * - `federation`: a city atlas harvesting this district with a federation token (checked by the handler); reads only.
 * Changes in a session carry its CSRF token; requests from another origin are refused.
 */
export type AccessLevel = 'open' | 'sign-in' | 'public-read' | 'read' | 'account' | 'session' | 'write' | 'admin' | 'ingest' | 'federation'

export interface AllowOptions {
  /**
   * The audit entry of a call: an action (recorded on success and on failure; `export` only when the
   * file was sent; a handler may write a more specific entry of its own instead), or null for none
   * (reads, previews). Refusals are always recorded.
   */
  audit?: AuditAction | null
  /** Counts against the uploads a user (or an address) may make a minute. */
  upload?: boolean
  /** What an account with something to do first (a password past its lifetime, an administrator's missing second factor) may still do here. */
  during?: SessionRequirement
  /** On 401, name HTTP Basic as the scheme to use (desktop GIS clients then ask for credentials). */
  basicChallenge?: boolean
}

/** What one allow() middleware declares: the OpenAPI description is generated from these. */
export interface AccessRule extends AllowOptions {
  level: AccessLevel
}

const rules = new WeakMap<object, AccessRule>()

/** The access rule of a handler made by allow(), or undefined for any other handler. */
export function accessRuleOf(handler: unknown): AccessRule | undefined {
  return typeof handler === 'function' ? rules.get(handler) : undefined
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
/** Levels a personal access token may be used on (it reads; it cannot change anything, manage tokens or administer). */
const TOKEN_LEVELS = new Set<AccessLevel>(['open', 'public-read', 'read'])
/** Levels a wall screen's session may use. */
const KIOSK_LEVELS = new Set<AccessLevel>(['open', 'sign-in', 'public-read', 'session'])

/**
 * States a route's access and audit: checks the viewer the gate resolved against the level, the
 * request's origin and CSRF token, counts uploads, and records the audit entry of the answer.
 */
export function allow(level: AccessLevel, options: AllowOptions = {}): MiddlewareHandler {
  const rule: AccessRule = { level, ...options }
  const middleware: MiddlewareHandler = async (c, next) => {
    const access = c.get('access')
    const method = c.req.method
    try {
      const viewer = c.get('viewer')
      checkTokenUse(viewer, level, method)
      checkOrigin(c, access, viewer, level, method)
      await checkViewer(access, viewer, rule, method)
      if (options.upload) {
        const who = viewer.kind === 'user' ? `u${viewer.user.id}` : `a${access.address(c)}`
        const wait = await access.uploads.hit(who, access.now())
        if (wait) throw new AppError(429, 'rate_limited', `上传过于频繁，请 ${wait} 秒后再试`, { retryAfter: wait })
      }
    } catch (err) {
      if (err instanceof AppError) {
        await access.audit(c, 'refused', `${method} ${c.req.path}`, 'refused', `${err.status} ${err.message}`)
        if (err.status === 401 && options.basicChallenge) c.header('WWW-Authenticate', 'Basic realm="City Safety Atlas", charset="UTF-8"')
      }
      throw err
    }
    await next()
    if (!c.get('audited')) await auditAnswer(access, c, rule.audit ?? null)
  }
  rules.set(middleware, rule)
  return middleware
}

function checkTokenUse(viewer: Viewer, level: AccessLevel, method: string): void {
  if (viewer.kind !== 'user' || viewer.tokenId === undefined || TOKEN_LEVELS.has(level)) return
  if (!SAFE_METHODS.has(method)) throw forbidden('个人访问令牌只能读取数据，不能修改；请在网页中登录后操作')
  throw forbidden('个人访问令牌不能用于管理功能和令牌管理')
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a), y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function checkOrigin(c: Context, access: AccessControl, viewer: Viewer, level: AccessLevel, method: string): void {
  if (SAFE_METHODS.has(method) || level === 'ingest') return
  // A cross-site page cannot set a custom header or send JSON without a CORS preflight we never grant;
  // the Origin check refuses the rest (old browsers, form posts).
  const origin = c.req.header('origin')
  if (origin && origin !== access.origin(c)) throw new AppError(403, 'csrf', '请求来源不是本站，已拒绝')
  if (level === 'sign-in') {
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) throw new AppError(415, 'unsupported_media_type', '请求体须为 JSON（Content-Type: application/json）')
    return
  }
  if (viewer.kind === 'anonymous') return // no session to ride on; the level answers 401
  const token = c.req.header(CSRF_HEADER)
  if (!token || !sameToken(token, viewer.csrfToken)) throw new AppError(403, 'csrf', '缺少或错误的 CSRF 令牌，请刷新页面后重试')
}

async function checkViewer(access: AccessControl, viewer: Viewer, rule: AccessRule, method: string): Promise<void> {
  const { level } = rule
  if (level === 'open' || level === 'sign-in' || level === 'session' || level === 'federation') return
  if (viewer.kind === 'anonymous') {
    if (level === 'ingest') return
    if (level === 'public-read' && SAFE_METHODS.has(method) && (await access.publicAccess())) return
    throw unauthenticated()
  }
  if (viewer.kind === 'kiosk') {
    if (KIOSK_LEVELS.has(level)) return
    throw forbidden(SAFE_METHODS.has(method) ? '大屏链接只能查看地图和统计' : '大屏链接只能查看，不能修改数据')
  }
  if (viewer.required && viewer.required !== rule.during) {
    throw viewer.required === 'change-password'
      ? new AppError(403, 'password_change_required', '密码已超过使用期限，请先修改密码')
      : new AppError(403, 'two_factor_required', '系统管理员须先启用两步验证')
  }
  if (level === 'admin' && viewer.user.role !== 'admin') throw forbidden('只有系统管理员可以使用管理功能')
}

/** The route's audit entry for its answer, and every refusal a handler answered with. */
async function auditAnswer(access: AccessControl, c: Context, declared: AuditAction | null): Promise<void> {
  const status = c.res.status
  const refused = status === 401 || status === 403
  let action: AuditAction | null = refused ? 'refused' : declared
  if (action === 'export' && status !== 200) action = null
  if (!action) return
  const result: AuditResult = refused ? 'refused' : status < 400 ? 'success' : 'failure'
  let detail = status < 400 ? '' : `${status}`
  if (status >= 400) {
    try {
      const body = (await c.res.clone().json()) as { error?: { message?: string } }
      if (body.error?.message) detail += ` ${body.error.message}`
    } catch {
      // Not JSON: the status says enough.
    }
  } else if (action === 'export') {
    detail = new URL(c.req.url).search.slice(1)
  }
  await access.audit(c, action, `${c.req.method} ${c.req.path}`, result, detail)
}
