import type {
  AccessTokenInfo, KioskInfo, KioskRecord, Permissions, SecondFactorStep, SessionInfo, SessionUser, TwoFactorSetup, TwoFactorStatus, UserRecord,
} from '../../server/domain/access.js'
import { DEFAULT_PASSWORD_MAX_AGE_DAYS, TOKEN_LIFETIMES_DAYS } from '../../server/domain/access.js'
import type { AuditResult, KioskCeiling, Role } from '../../server/domain/enums.js'
import { AUDIT_ACTIONS, AUDIT_RESULTS, ROLES } from '../../server/domain/enums.js'
import type { InferResponseType } from 'hono/client'
import type { api } from './client.js'

/**
 * The access API as the web app sees it: sessions, sign-in, passwords, kiosk links, and the
 * administrator's users, departments, audit log and settings (server/auth). The answers' shapes are
 * the shared ones of server/domain/access.ts or inferred from the routes; the pure helpers (safe
 * `next` path, permission checks) live here and are unit-tested without a browser.
 */

export type { AuditResult, KioskCeiling, Role }
export type { Permissions, SecondFactorStep, SessionUser, TwoFactorSetup, TwoFactorStatus }
/** GET /api/auth/session (and the sign-in answer). */
export type Session = SessionInfo
/** The answer to a password: a session, or (two-factor sign-in) the step that asks for the code. */
export type SignInAnswer = Session | SecondFactorStep

export function isSecondFactorStep(a: SignInAnswer): a is SecondFactorStep {
  return 'secondFactor' in a
}
export type SessionKiosk = KioskInfo
/** A user as the administrator manages it. */
export type AdminUser = UserRecord
export type KioskLink = KioskRecord

/** The answer to creating a kiosk link: the token is shown this once. */
export type KioskLinkCreated = InferResponseType<(typeof api.admin)['kiosk-links']['$post']>

/** A personal access token as listed; the token itself only in the answer to creating it. */
export type AccessToken = AccessTokenInfo
export type AccessTokenCreated = InferResponseType<typeof api.auth.tokens.$post>
export type TokenLifetime = (typeof TOKEN_LIFETIMES_DAYS)[number]
export { TOKEN_LIFETIMES_DAYS }

/** Whether a token still works at `now`: neither revoked nor expired. */
export function tokenLive(t: Pick<AccessToken, 'revokedAt' | 'expiresAt'>, now = Date.now()): boolean {
  return !t.revokedAt && Date.parse(t.expiresAt) > now
}

export interface AuditQuery {
  /** YYYY-MM-DD, Asia/Shanghai days. */
  from?: string
  to?: string
  user?: string
  action?: string
  result?: AuditResult | ''
  q?: string
  page?: number
  pageSize?: number
}

export type AuditPage = InferResponseType<typeof api.admin.audit.$get>

export interface CodeLabel {
  code: string
  label: string
}

export { AUDIT_ACTIONS, AUDIT_RESULTS, ROLES }

/** The ceiling choices as the administrator reads them when creating a wall link. */
export const KIOSK_CEILING_CHOICES: readonly { code: KioskCeiling; label: string }[] = [
  { code: 'public', label: '仅公开数据' },
  { code: 'internal', label: '公开和内部数据' },
]

/** What nobody signed in may do before the session answer arrives: nothing. */
const NO_PERMISSIONS: Permissions = { view: false, export: false, edit: 'none', admin: false }

/** The session of a visitor before /api/auth/session answered (or when it could not). */
export function anonymousSession(): Session {
  return {
    user: null, kiosk: null, csrfToken: null, publicAccess: false, permissions: { ...NO_PERMISSIONS }, idleTimeoutMinutes: 30,
    required: null, passwordMaxAgeDays: DEFAULT_PASSWORD_MAX_AGE_DAYS,
  }
}

/**
 * The path to go to after signing in, or '/' when `next` is missing or could lead off this site: only
 * a same-site path (starts with one '/', not '//' or '/\', no scheme, no control characters).
 */
export function safeNextPath(next: unknown): string {
  const raw = Array.isArray(next) ? next[0] : next
  if (typeof raw !== 'string' || raw === '') return '/'
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/'
  // Browsers strip tabs and newlines from URLs, so "/\t/evil.example" would become "//evil.example".
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return '/'
  try {
    const url = new URL(raw, 'http://atlas.invalid')
    if (url.origin !== 'http://atlas.invalid') return '/'
    // Never come back to the sign-in page itself.
    if (url.pathname === '/sign-in') return '/'
    return `${url.pathname}${url.search}${url.hash}`
  } catch {
    return '/'
  }
}

/**
 * Whether this session may create, change or delete a department's systems, resources and items
 * (and manage its systems' ingest keys): edit 'all', or 'own' on the user's own department.
 */
export function canEditDepartment(session: Pick<Session, 'user' | 'permissions' | 'kiosk'>, departmentId: number | string | null | undefined): boolean {
  if (session.kiosk || !session.user) return false
  const scope = session.permissions.edit
  if (scope === 'all') return true
  if (scope !== 'own' || departmentId == null || departmentId === '' || session.user.departmentId == null) return false
  return String(session.user.departmentId) === String(departmentId)
}

/** The Chinese label of a code from a table (meta's enumerations or the fallback), else the code itself. */
export function labelFrom(table: readonly CodeLabel[] | undefined, code: string | null | undefined): string {
  if (code == null || code === '') return ''
  return table?.find((e) => e.code === code)?.label ?? code
}

/** "2024-03-01 09:05:07 +08:00": the audit time in Asia/Shanghai, with its zone. */
export function formatAuditTime(at: string): string {
  const d = new Date(at)
  if (Number.isNaN(d.getTime())) return at
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    }).formatToParts(d).map((x) => [x.type, x.value]),
  )
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} +08:00`
}

/** The audit query as URL parameters, leaving out blanks. */
export function auditParams(q: AuditQuery): URLSearchParams {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && String(v).trim() !== '') params.set(k, String(v).trim())
  return params
}

/**
 * Where a wall opened through a kiosk link goes: /screen with the link's filters and kiosk=1 (which
 * tells the screen and the router that this is a wall, not a user's browser).
 */
export function kioskScreenPath(query: string): string {
  const q = query.replace(/^\?/, '')
  return `/screen?${q}${q ? '&' : ''}kiosk=1`
}
