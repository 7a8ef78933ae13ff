import type {
  AccessTokenInfo, AuditEntry, KioskInfo, KioskRecord, Permissions, SecondFactorStep, SessionInfo, SessionRequirement, SessionUser, TwoFactorSetup,
  TwoFactorStatus, UserRecord,
} from '../../server/domain/access.js'
import { DEFAULT_PASSWORD_MAX_AGE_DAYS, TOKEN_LIFETIMES_DAYS } from '../../server/domain/access.js'
import type { AuditResult, KioskCeiling, Role } from '../../server/domain/enums.js'
import { AUDIT_ACTIONS, AUDIT_RESULTS, ROLES } from '../../server/domain/enums.js'
import type { InferRequestType, InferResponseType } from 'hono/client'
import { answer, done, routes } from './client.js'

/**
 * The access API as the web app sees it: sessions, sign-in, passwords, kiosk links, and the
 * administrator's users, departments, audit log and settings (server/auth). The response shapes are
 * the shared ones of server/domain/access.ts; the request bodies and the pure helpers (safe `next`
 * path, permission checks) live here and are unit-tested without a browser.
 */

export type { AuditResult, KioskCeiling, Role }
export type { AuditEntry, Permissions, SecondFactorStep, SessionRequirement, SessionUser, TwoFactorSetup, TwoFactorStatus }
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

export type SignInInput = InferRequestType<(typeof routes.auth)['sign-in']['$post']>['json']

export type PasswordChangeInput = InferRequestType<typeof routes.auth.password.$post>['json']

export type UserCreateInput = InferRequestType<typeof routes.admin.users.$post>['json']

export type UserUpdateInput = InferRequestType<(typeof routes.admin.users)[':id']['$put']>['json']

/** The answer to creating a kiosk link: the token is shown this once. */
export type KioskLinkCreated = InferResponseType<(typeof routes.admin)['kiosk-links']['$post']>

/** A personal access token as listed; the token itself only in the answer to creating it. */
export type AccessToken = AccessTokenInfo
export type AccessTokenCreated = InferResponseType<typeof routes.auth.tokens.$post>
export type TokenLifetime = (typeof TOKEN_LIFETIMES_DAYS)[number]
export { TOKEN_LIFETIMES_DAYS }

/** Whether a token still works at `now`: neither revoked nor expired. */
export function tokenLive(t: Pick<AccessToken, 'revokedAt' | 'expiresAt'>, now = Date.now()): boolean {
  return !t.revokedAt && Date.parse(t.expiresAt) > now
}

export type KioskLinkInput = InferRequestType<(typeof routes.admin)['kiosk-links']['$post']>['json']

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

export type AuditPage = InferResponseType<typeof routes.admin.audit.$get>

export type AccessSettings = InferResponseType<typeof routes.admin.settings.$get>

export type DepartmentInput = InferRequestType<typeof routes.departments.$post>['json']

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

const auth = routes.auth
const admin = routes.admin
const param = (v: number | string) => ({ param: { id: String(v) } })

export const authApi = {
  session: () => answer(auth.session.$get()),
  signIn: (input: SignInInput) => answer(auth['sign-in'].$post({ json: input })),
  signInCode: (code: string) => answer(auth['sign-in'].code.$post({ json: { code } })),
  signOut: () => done(auth['sign-out'].$post()),
  changePassword: (input: PasswordChangeInput) => done(auth.password.$post({ json: input })),
  openKiosk: (token: string) => answer(routes.kiosk.open.$post({ json: { token } })),
  tokens: () => answer(auth.tokens.$get()),
  createToken: (label: string, days: TokenLifetime) => answer(auth.tokens.$post({ json: { label, days } })),
  revokeToken: (tokenId: number) => answer(auth.tokens[':id'].revoke.$post(param(tokenId))),
  twoFactor: () => answer(auth['two-factor'].$get()),
  twoFactorSetup: () => answer(auth['two-factor'].setup.$post()),
  twoFactorEnable: (code: string) => answer(auth['two-factor'].enable.$post({ json: { code } })),
  twoFactorRecoveryCodes: (code: string) => answer(auth['two-factor']['recovery-codes'].$post({ json: { code } })),
  twoFactorDisable: (password: string, code: string) => done(auth['two-factor'].disable.$post({ json: { password, code } })),
}

export const adminApi = {
  users: () => answer(admin.users.$get()),
  createUser: (input: UserCreateInput) => answer(admin.users.$post({ json: input })),
  updateUser: (userId: number, input: UserUpdateInput) => answer(admin.users[':id'].$put({ ...param(userId), json: input })),
  resetPassword: (userId: number, password: string) => done(admin.users[':id'].password.$post({ ...param(userId), json: { password } })),
  unlock: (userId: number) => done(admin.users[':id'].unlock.$post(param(userId))),
  resetTwoFactor: (userId: number) => done(admin.users[':id']['two-factor'].reset.$post(param(userId))),

  kioskLinks: () => answer(admin['kiosk-links'].$get()),
  createKioskLink: (input: KioskLinkInput) => answer(admin['kiosk-links'].$post({ json: input })),
  revokeKioskLink: (linkId: number) => answer(admin['kiosk-links'][':id'].revoke.$post(param(linkId))),

  audit: (q: AuditQuery) => answer(admin.audit.$get({ query: Object.fromEntries(auditParams(q)) })),

  settings: () => answer(admin.settings.$get()),
  updateSettings: (input: AccessSettings) => answer(admin.settings.$put({ json: input })),

  createDepartment: (input: DepartmentInput) => answer(routes.departments.$post({ json: input })),
  updateDepartment: (departmentId: number, input: DepartmentInput) => answer(routes.departments[':id'].$put({ ...param(departmentId), json: input })),
  deleteDepartment: (departmentId: number) => done(routes.departments[':id'].$delete(param(departmentId))),
}
