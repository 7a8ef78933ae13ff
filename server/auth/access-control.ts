import { createHash, createHmac, randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppDeps } from '../db/deps.js'
import {
  ABSOLUTE_TIMEOUT_MS, DEFAULT_PASSWORD_MAX_AGE_DAYS, IDLE_TIMEOUT_MS, permissionsOf, requirementOf, SECOND_FACTOR_STEP_MS, type SessionInfo,
  type SessionRequirement, type SessionUser, type Viewer,
} from '../domain/access.js'
import type { AuditAction, AuditResult } from '../domain/enums.js'
import { AppError } from '../http/errors.js'
import { siteOrigin } from '../http/origin.js'
import {
  activeAccount, deleteSession, insertAudit, insertSession, liveTokenByHash, markTokenUsed, sessionWithOwner, setting, touchSession,
} from './queries.js'
import { SharedRateLimiter, SignInThrottle } from './rate-limit.js'
import { deleteChallenge, insertChallenge, liveChallenge, type ChallengeRow } from './two-factor-queries.js'

declare module 'hono' {
  interface ContextVariableMap {
    viewer: Viewer
    /** Set by a handler that wrote its own, more specific audit entry. */
    audited: boolean
  }
}

const SESSION_COOKIE = 'csa_session'
/** A right password waiting for its second factor (a few minutes, only sent to the sign-in endpoints). */
const SECOND_FACTOR_COOKIE = 'csa_sign_in'
const SECOND_FACTOR_PATH = '/api/auth/sign-in'
export const CSRF_HEADER = 'x-csrf-token'
const TOUCH_EVERY_MS = 60_000

/** Personal access tokens look like `csa_pat_<43 base64url characters>`. */
export const TOKEN_PREFIX = 'csa_pat_'

/** The SHA-256 hex digest stored in place of a personal access token. */
export function hashAccessToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/**
 * The personal access token an Authorization header carries: `Bearer csa_pat_…`, or HTTP Basic with
 * the token as the password (what QGIS and GDAL offer). null when the header carries none of ours (an
 * ingest key is checked by its own route); an error for Basic credentials that are not a token.
 */
function presentedToken(header: string | undefined): string | AppError | null {
  if (!header) return null
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (bearer) return bearer[1]!.startsWith(TOKEN_PREFIX) ? bearer[1]! : null
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)
  if (!basic) return null
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
  const password = decoded.slice(decoded.indexOf(':') + 1)
  if (decoded.includes(':') && password.startsWith(TOKEN_PREFIX)) return password
  return new AppError(401, 'token_required', 'HTTP 基本认证的密码须填写个人访问令牌（用户菜单 → 访问令牌），不能使用登录密码')
}

/**
 * Sessions, the viewer of each request, and the audit trail. Session cookies carry a random token;
 * the database keeps only its HMAC under the session secret, so a copy of the database alone cannot
 * be used to sign in, and rotating the secret ends every session.
 */
export class AccessControl {
  private readonly secret: Buffer
  /** Failed sign-ins slow down further attempts per account name and per address (server/auth/rate-limit.ts). */
  readonly signIns: SignInThrottle
  /** Uploads (forms, spatial files, ingest batches): 30 a minute per user or address, counted in the database across processes. */
  readonly uploads: SharedRateLimiter
  /** Days a password may be used before it must be changed (0: no limit). */
  readonly passwordMaxAgeDays: number

  constructor(private readonly deps: AppDeps) {
    this.secret = deps.sessionSecret ? Buffer.from(deps.sessionSecret, 'utf8') : randomBytes(32)
    this.signIns = new SignInThrottle(() => deps.now().getTime(), deps.sleep ?? ((ms) => sleep(ms)))
    this.passwordMaxAgeDays = deps.passwordMaxAgeDays ?? DEFAULT_PASSWORD_MAX_AGE_DAYS
    this.uploads = new SharedRateLimiter(deps.db, 'upload', 30, 60_000)
  }

  /** What an account must do before anything else (a password past its lifetime, an administrator's missing second factor). */
  requirement(account: { user: SessionUser; twoFactor: boolean; passwordChangedAt: string }): SessionRequirement | null {
    return requirementOf({ role: account.user.role, twoFactor: account.twoFactor, passwordChangedAt: account.passwordChangedAt }, this.deps.now(), this.passwordMaxAgeDays)
  }

  now(): number {
    return this.deps.now().getTime()
  }

  hashToken(token: string): string {
    return createHmac('sha256', this.secret).update(token).digest('base64url')
  }

  async publicAccess(): Promise<boolean> {
    return (await setting(this.deps.db, 'public_access')) === 'on'
  }

  /** The client's address: the socket's, or the first X-Forwarded-For hop when behind a trusted proxy. */
  address(c: Context): string {
    if (this.deps.trustProxy) {
      const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
      if (forwarded) return forwarded
    }
    const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
    return incoming?.socket?.remoteAddress ?? ''
  }

  /**
   * Who is asking: from a personal access token when the request carries one (a wrong, expired or
   * revoked token is refused, never taken for an anonymous visitor), otherwise from the session cookie;
   * expired, idle or orphaned sessions are ended on the way.
   */
  async resolve(c: Context): Promise<Viewer> {
    const presented = presentedToken(c.req.header('authorization'))
    if (presented instanceof AppError) throw presented
    if (presented !== null) return this.resolveToken(presented)
    const token = getCookie(c, SESSION_COOKIE)
    if (!token || token.length > 100) return { kind: 'anonymous' }
    const hash = this.hashToken(token)
    const found = await sessionWithOwner(this.deps.db, hash)
    if (!found) return { kind: 'anonymous' }
    const s = found.session
    const now = this.deps.now()
    const t = now.getTime()
    const idle = s.kind === 'user' && t - Date.parse(s.last_seen_at) >= IDLE_TIMEOUT_MS
    if (Date.parse(s.expires_at) <= t || idle) {
      await deleteSession(this.deps.db, hash)
      return { kind: 'anonymous' }
    }
    let viewer: Viewer | null = null
    if (s.kind === 'user' && found.account) {
      viewer = { kind: 'user', user: found.account.user, csrfToken: s.csrf_token, sessionHash: hash, required: this.requirement(found.account) }
    } else if (s.kind === 'kiosk' && found.kiosk) {
      viewer = { kind: 'kiosk', kiosk: found.kiosk, csrfToken: s.csrf_token, sessionHash: hash }
    }
    if (!viewer) {
      await deleteSession(this.deps.db, hash)
      return { kind: 'anonymous' }
    }
    // While a worker writes a large import the touch would wait for it: it is left to a later request.
    const db = this.deps.db
    if (t - Date.parse(s.last_seen_at) >= TOUCH_EVERY_MS && !(db.engine === 'sqlite' && db.writeGate.busy)) await touchSession(db, hash, now)
    return viewer
  }

  private async resolveToken(token: string): Promise<Viewer> {
    const now = this.deps.now()
    const live = token.length <= 100 ? await liveTokenByHash(this.deps.db, hashAccessToken(token), now) : null
    const account = live ? await activeAccount(this.deps.db, live.userId) : null
    if (!live || !account) throw new AppError(401, 'token_invalid', '访问令牌无效、已过期或已撤销')
    if (!live.lastUsedAt || now.getTime() - Date.parse(live.lastUsedAt) >= TOUCH_EVERY_MS) await markTokenUsed(this.deps.db, live.id, now)
    return { kind: 'user', user: account.user, csrfToken: '', sessionHash: '', tokenId: live.id, required: this.requirement(account) }
  }

  /** Starts a session (ending the one the request came with) and sets its cookie; returns the CSRF token. */
  async startSession(c: Context, owner: { kind: 'user'; userId: number } | { kind: 'kiosk'; kioskId: number }): Promise<string> {
    await this.endSession(c)
    const token = randomBytes(32).toString('base64url')
    const csrf = randomBytes(24).toString('base64url')
    const now = this.deps.now()
    await insertSession(this.deps.db, {
      token_hash: this.hashToken(token),
      kind: owner.kind,
      user_id: owner.kind === 'user' ? owner.userId : null,
      kiosk_id: owner.kind === 'kiosk' ? owner.kioskId : null,
      csrf_token: csrf,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS).toISOString(),
      address: this.address(c),
    })
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: this.secureCookies(c),
      maxAge: ABSOLUTE_TIMEOUT_MS / 1000,
    })
    return csrf
  }

  /**
   * Remembers a right password of an account with a second factor: a random token in a short-lived
   * cookie for the sign-in endpoints only, its keyed hash in the database. No session yet.
   */
  async startSecondFactor(c: Context, userId: number): Promise<number> {
    const token = randomBytes(32).toString('base64url')
    const now = this.deps.now()
    await insertChallenge(this.deps.db, {
      tokenHash: this.hashToken(token), userId, address: this.address(c), expiresAt: new Date(now.getTime() + SECOND_FACTOR_STEP_MS).toISOString(),
    }, now)
    setCookie(c, SECOND_FACTOR_COOKIE, token, {
      httpOnly: true, sameSite: 'Strict', path: SECOND_FACTOR_PATH, secure: this.secureCookies(c), maxAge: SECOND_FACTOR_STEP_MS / 1000,
    })
    return SECOND_FACTOR_STEP_MS / 1000
  }

  /** The request's pending sign-in (a right password waiting for its code), if live. */
  async pendingSignIn(c: Context): Promise<(ChallengeRow & { tokenHash: string }) | null> {
    const token = getCookie(c, SECOND_FACTOR_COOKIE)
    if (!token || token.length > 100) return null
    const tokenHash = this.hashToken(token)
    const row = await liveChallenge(this.deps.db, tokenHash, this.deps.now())
    return row ? { ...row, tokenHash } : null
  }

  /** Ends the request's pending sign-in and clears its cookie. */
  async endSecondFactor(c: Context): Promise<void> {
    const token = getCookie(c, SECOND_FACTOR_COOKIE)
    if (token && token.length <= 100) await deleteChallenge(this.deps.db, this.hashToken(token))
    if (token !== undefined) deleteCookie(c, SECOND_FACTOR_COOKIE, { path: SECOND_FACTOR_PATH, secure: this.secureCookies(c), httpOnly: true, sameSite: 'Strict' })
  }

  /** Deletes the request's session, if any, and clears the cookie. */
  async endSession(c: Context): Promise<void> {
    const token = getCookie(c, SESSION_COOKIE)
    if (token && token.length <= 100) await deleteSession(this.deps.db, this.hashToken(token))
    if (token !== undefined) deleteCookie(c, SESSION_COOKIE, { path: '/', secure: this.secureCookies(c), httpOnly: true, sameSite: 'Strict' })
  }

  private secureCookies(c: Context): boolean {
    if (this.deps.secureCookies !== undefined && this.deps.secureCookies !== 'auto') return this.deps.secureCookies
    return this.origin(c).startsWith('https:')
  }

  /** This site's origin as the browser sees it. */
  origin(c: Context): string {
    return siteOrigin(c, this.deps.trustProxy === true)
  }

  async sessionInfo(viewer: Viewer): Promise<SessionInfo> {
    const publicAccess = await this.publicAccess()
    return {
      user: viewer.kind === 'user' ? viewer.user : null,
      kiosk: viewer.kind === 'kiosk' ? viewer.kiosk : null,
      csrfToken: viewer.kind === 'anonymous' ? null : viewer.csrfToken,
      publicAccess,
      permissions: permissionsOf(viewer, publicAccess),
      idleTimeoutMinutes: IDLE_TIMEOUT_MS / 60_000,
      required: viewer.kind === 'user' ? viewer.required ?? null : null,
      passwordMaxAgeDays: this.passwordMaxAgeDays,
    }
  }

  /** Appends an audit entry for this request; `as` names the account when nobody is signed in yet (a failed sign-in). */
  async audit(c: Context, action: AuditAction, target: string, result: AuditResult, detail = '', as?: { userId: number | null; username: string; role: string }): Promise<void> {
    const viewer = c.get('viewer') ?? { kind: 'anonymous' }
    const who = as ?? (viewer.kind === 'user'
      ? { userId: viewer.user.id, username: viewer.user.username, role: viewer.user.role }
      : viewer.kind === 'kiosk' ? { userId: null, username: `大屏:${viewer.kiosk.label}`, role: 'kiosk' } : { userId: null, username: '', role: '' })
    await insertAudit(this.deps.db, { ...who, address: this.address(c), action, target, result, detail }, this.deps.now())
    c.set('audited', true)
  }
}

/**
 * The gate in front of every /api route: resolves who is asking (a wrong, expired or revoked token is
 * refused and recorded). What each route lets them do is stated on the route itself with allow().
 */
export function accessGate(access: AccessControl): MiddlewareHandler {
  return async (c, next) => {
    c.set('access', access)
    c.set('viewer', { kind: 'anonymous' })
    c.set('audited', false)
    try {
      c.set('viewer', await access.resolve(c))
    } catch (err) {
      if (err instanceof AppError) await access.audit(c, 'refused', `${c.req.method} ${c.req.path}`, 'refused', `${err.status} ${err.message}`)
      throw err
    }
    await next()
  }
}
