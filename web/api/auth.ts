import type {
  AccessTokenInfo, AuditEntry, KioskInfo, KioskRecord, Permissions, SecondFactorStep, SessionInfo, SessionRequirement, SessionUser, TwoFactorSetup,
  TwoFactorStatus, UserRecord,
} from '../../server/domain/access.js'
import { DEFAULT_PASSWORD_MAX_AGE_DAYS, TOKEN_LIFETIMES_DAYS } from '../../server/domain/access.js'
import type { AuditResult, KioskCeiling, Role } from '../../server/domain/enums.js'
import { AUDIT_ACTIONS, AUDIT_RESULTS, ROLES } from '../../server/domain/enums.js'
import { request } from './client.js'

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
export type EditScope = Permissions['edit']

export interface SignInInput {
  username: string
  password: string
}

export interface PasswordChangeInput {
  currentPassword: string
  newPassword: string
}

export interface UserCreateInput {
  username: string
  displayName: string
  role: Role
  departmentId: number | null
  clearances: number[]
  password: string
}

export interface UserUpdateInput {
  displayName: string
  role: Role
  departmentId: number | null
  clearances: number[]
  disabled: boolean
}

/** The answer to creating a kiosk link: the token is shown this once. */
export interface KioskLinkCreated extends KioskLink {
  token: string
  path: string
}

/** A personal access token as listed; the token itself only in the answer to creating it. */
export type AccessToken = AccessTokenInfo
export interface AccessTokenCreated extends AccessToken {
  token: string
}
export type TokenLifetime = (typeof TOKEN_LIFETIMES_DAYS)[number]
export { TOKEN_LIFETIMES_DAYS }

/** Whether a token still works at `now`: neither revoked nor expired. */
export function tokenLive(t: Pick<AccessToken, 'revokedAt' | 'expiresAt'>, now = Date.now()): boolean {
  return !t.revokedAt && Date.parse(t.expiresAt) > now
}

export interface KioskLinkInput {
  label: string
  ceiling: KioskCeiling
  query: string
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

export interface AuditPage {
  items: AuditEntry[]
  total: number
  page: number
  pageSize: number
}

export interface AccessSettings {
  publicAccess: boolean
}

export interface DepartmentInput {
  name: string
  shortName: string
}

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
export const NO_PERMISSIONS: Permissions = { view: false, export: false, edit: 'none', admin: false }

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

const id = (v: number | string) => encodeURIComponent(String(v))

export const authApi = {
  session: () => request<Session>('/api/auth/session'),
  signIn: (input: SignInInput) => request<SignInAnswer>('/api/auth/sign-in', { method: 'POST', body: input }),
  signInCode: (code: string) => request<Session>('/api/auth/sign-in/code', { method: 'POST', body: { code } }),
  signOut: () => request<void>('/api/auth/sign-out', { method: 'POST' }),
  changePassword: (input: PasswordChangeInput) => request<void>('/api/auth/password', { method: 'POST', body: input }),
  openKiosk: (token: string) => request<{ kiosk: SessionKiosk }>('/api/kiosk/open', { method: 'POST', body: { token } }),
  tokens: () => request<{ items: AccessToken[] }>('/api/auth/tokens'),
  createToken: (label: string, days: TokenLifetime) => request<AccessTokenCreated>('/api/auth/tokens', { method: 'POST', body: { label, days } }),
  revokeToken: (tokenId: number) => request<AccessToken>(`/api/auth/tokens/${id(tokenId)}/revoke`, { method: 'POST' }),
  twoFactor: () => request<TwoFactorStatus>('/api/auth/two-factor'),
  twoFactorSetup: () => request<TwoFactorSetup>('/api/auth/two-factor/setup', { method: 'POST' }),
  twoFactorEnable: (code: string) => request<{ recoveryCodes: string[] }>('/api/auth/two-factor/enable', { method: 'POST', body: { code } }),
  twoFactorRecoveryCodes: (code: string) => request<{ recoveryCodes: string[] }>('/api/auth/two-factor/recovery-codes', { method: 'POST', body: { code } }),
  twoFactorDisable: (password: string, code: string) => request<void>('/api/auth/two-factor/disable', { method: 'POST', body: { password, code } }),
}

export const adminApi = {
  users: () => request<{ items: AdminUser[] }>('/api/admin/users'),
  createUser: (input: UserCreateInput) => request<AdminUser>('/api/admin/users', { method: 'POST', body: input }),
  updateUser: (userId: number, input: UserUpdateInput) => request<AdminUser>(`/api/admin/users/${id(userId)}`, { method: 'PUT', body: input }),
  resetPassword: (userId: number, password: string) => request<void>(`/api/admin/users/${id(userId)}/password`, { method: 'POST', body: { password } }),
  unlock: (userId: number) => request<void>(`/api/admin/users/${id(userId)}/unlock`, { method: 'POST' }),
  resetTwoFactor: (userId: number) => request<void>(`/api/admin/users/${id(userId)}/two-factor/reset`, { method: 'POST' }),

  kioskLinks: () => request<{ items: KioskLink[] }>('/api/admin/kiosk-links'),
  createKioskLink: (input: KioskLinkInput) => request<KioskLinkCreated>('/api/admin/kiosk-links', { method: 'POST', body: input }),
  revokeKioskLink: (linkId: number) => request<KioskLink>(`/api/admin/kiosk-links/${id(linkId)}/revoke`, { method: 'POST' }),

  audit: (q: AuditQuery) => request<AuditPage>('/api/admin/audit', { params: auditParams(q) }),

  settings: () => request<AccessSettings>('/api/admin/settings'),
  updateSettings: (input: AccessSettings) => request<AccessSettings>('/api/admin/settings', { method: 'PUT', body: input }),

  createDepartment: (input: DepartmentInput) => request<{ id: number; name: string; shortName: string }>('/api/departments', { method: 'POST', body: input }),
  updateDepartment: (departmentId: number, input: DepartmentInput) =>
    request<{ id: number; name: string; shortName: string }>(`/api/departments/${id(departmentId)}`, { method: 'PUT', body: input }),
  deleteDepartment: (departmentId: number) => request<void>(`/api/departments/${id(departmentId)}`, { method: 'DELETE' }),
}
