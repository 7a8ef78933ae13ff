import type { AuditAction, AuditResult, KioskCeiling, Role, Sensitivity } from './enums.js'

/**
 * The access model of SPEC §6 as pure rules, shared by server and web: who may see which sensitivity,
 * and what each role may do. Authorisation combines the role with the user's department.
 */

export interface SessionUser {
  id: number
  username: string
  displayName: string
  role: Role
  departmentId: number | null
  departmentName: string | null
  /** Departments whose 受限 data this user is cleared for, besides their own. */
  clearances: number[]
}

export interface KioskInfo {
  id: number
  label: string
  ceiling: KioskCeiling
  /** The wall's filter as a query string (domain=…&risk=…), enforced by the server for catalog filters. */
  query: string
}

export interface Permissions {
  /** May read catalog data at all. */
  view: boolean
  /** May download exports of anything visible (xlsx, CSV). Reporters export only their own department's forms (see mayExport). */
  export: boolean
  /** Which departments' systems, resources and items may be changed. */
  edit: 'all' | 'own' | 'none'
  admin: boolean
}

/**
 * What a signed-in account must do before anything else: change a password older than the configured
 * lifetime, or (an administrator) enrol a second factor. The server refuses every other request until
 * it is done; the web app shows the matching form.
 */
export type SessionRequirement = 'change-password' | 'enrol-two-factor'

/** GET /api/auth/session and the answer of a sign-in. */
export interface SessionInfo {
  user: SessionUser | null
  kiosk: KioskInfo | null
  csrfToken: string | null
  publicAccess: boolean
  permissions: Permissions
  idleTimeoutMinutes: number
  /** What the signed-in user must do first; null when nothing is pending. */
  required: SessionRequirement | null
  /** Days a password may be used before it must be changed (0: no limit). */
  passwordMaxAgeDays: number
}

/**
 * The answer of a right password for an account with two-factor sign-in (202): no session yet; the
 * browser holds a short-lived pending sign-in (cookie) and sends the code to /api/auth/sign-in/code.
 */
export interface SecondFactorStep {
  secondFactor: 'totp'
  expiresInSeconds: number
}

/** GET /api/auth/two-factor: the signed-in user's second factor. */
export interface TwoFactorStatus {
  enabled: boolean
  /** Administrators must have it: they cannot turn it off. */
  required: boolean
  enabledAt: string | null
  recoveryCodesLeft: number
}

/** POST /api/auth/two-factor/setup: the new key, shown while the user adds it to an authenticator app. */
export interface TwoFactorSetup {
  /** The otpauth:// URI the QR code encodes. */
  uri: string
  /** The key in Base32, for typing in by hand. */
  secret: string
  /** The QR code as an SVG data URL (drawn on the server: no script, no external service). */
  qrCode: string
}

export interface UserRecord extends SessionUser {
  /** Whether the user signs in with a second factor (TOTP). */
  twoFactor: boolean
  disabled: boolean
  lockedUntil: string | null
  lastSignInAt: string | null
  createdAt: string
}

/** A personal access token as its owner sees it: never the token itself, which is shown once. */
export interface AccessTokenInfo {
  id: number
  label: string
  /** The first characters of the token, to tell tokens apart. */
  prefix: string
  createdAt: string
  expiresAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

/** How long a new personal access token may live, in days. */
export const TOKEN_LIFETIMES_DAYS = [30, 90, 180, 365] as const
export const MAX_LIVE_TOKENS = 20

export interface KioskRecord extends KioskInfo {
  createdAt: string
  createdBy: string | null
  revokedAt: string | null
  lastUsedAt: string | null
}

export interface AuditEntry {
  id: number
  /** ISO 8601 with the +08:00 offset of Asia/Shanghai. */
  at: string
  userId: number | null
  username: string
  role: string
  address: string
  action: AuditAction
  target: string
  result: AuditResult
  detail: string
}

export const IDLE_TIMEOUT_MS = 30 * 60_000
export const ABSOLUTE_TIMEOUT_MS = 12 * 3_600_000
export const MAX_FAILED_SIGN_INS = 5
export const LOCKOUT_MS = 15 * 60_000
export const MIN_PASSWORD_LENGTH = 8
/** PASSWORD_MAX_AGE_DAYS when not set. */
export const DEFAULT_PASSWORD_MAX_AGE_DAYS = 90
/** How long a right password waits for its code, and how many codes it may try. */
export const SECOND_FACTOR_STEP_MS = 5 * 60_000
export const MAX_CODE_ATTEMPTS = 5
export const RECOVERY_CODE_COUNT = 10

/**
 * What an account must do before anything else, judged at every request: a password older than
 * `maxAgeDays` (0: never) is changed first, then an administrator without a second factor enrols one.
 */
export function requirementOf(
  account: { role: Role; twoFactor: boolean; passwordChangedAt: string },
  now: Date,
  maxAgeDays: number,
): SessionRequirement | null {
  if (maxAgeDays > 0 && now.getTime() - Date.parse(account.passwordChangedAt) >= maxAgeDays * 86_400_000) return 'change-password'
  if (account.role === 'admin' && !account.twoFactor) return 'enrol-two-factor'
  return null
}

/** Who is asking: nobody, a signed-in user, or a wall screen opened through a kiosk link. */
export type Viewer =
  | { kind: 'anonymous' }
  | {
    kind: 'user'; user: SessionUser; csrfToken: string; sessionHash: string
    /** Set when the request came with a personal access token (read-only). */
    tokenId?: number
    /** What the account must do before anything else (see requirementOf). */
    required?: SessionRequirement | null
  }
  | { kind: 'kiosk'; kiosk: KioskInfo; csrfToken: string; sessionHash: string }

/** What a viewer may do; anonymous visitors may read public data only when the administrator allows it. */
export function permissionsOf(viewer: Viewer, publicAccess: boolean): Permissions {
  if (viewer.kind === 'anonymous') return { view: publicAccess, export: false, edit: 'none', admin: false }
  if (viewer.kind === 'kiosk') return { view: true, export: false, edit: 'none', admin: false }
  const role = viewer.user.role
  return {
    view: true,
    export: role === 'analyst' || role === 'admin',
    edit: role === 'admin' ? 'all' : role === 'reporter' ? 'own' : 'none',
    admin: role === 'admin',
  }
}

/** Whether a viewer may change the systems, resources and items of a department. */
export function mayEdit(viewer: Viewer, departmentId: number): boolean {
  if (viewer.kind !== 'user') return false
  const { role, departmentId: own } = viewer.user
  return role === 'admin' || (role === 'reporter' && own === departmentId)
}

/**
 * Whether a viewer may export: analysts and administrators everything they can see; reporters only
 * their own department (its forms, to fill them in); leaders, wall screens and visitors never.
 */
export function mayExport(viewer: Viewer, departmentIds: number[] | null): boolean {
  if (viewer.kind !== 'user') return false
  const { role, departmentId } = viewer.user
  if (role === 'admin' || role === 'analyst') return true
  return role === 'reporter' && departmentIds !== null && departmentIds.length > 0 && departmentIds.every((d) => d === departmentId)
}

/**
 * The resources a viewer may see, as a rule over (sensitivity, owning department): public to anyone
 * allowed to view, internal to signed-in users and internal walls, restricted to the owning department,
 * users cleared for it, and administrators.
 */
export interface VisibilityRule {
  all: boolean
  sensitivities: Sensitivity[]
  /** Departments whose restricted resources are visible. */
  restrictedDepartments: number[]
  /** A stable key of the rule, for caches (tiles). */
  key: string
}

export function visibilityOf(viewer: Viewer): VisibilityRule {
  if (viewer.kind === 'anonymous') return { all: false, sensitivities: ['public'], restrictedDepartments: [], key: 'p' }
  if (viewer.kind === 'kiosk') {
    const sensitivities: Sensitivity[] = viewer.kiosk.ceiling === 'internal' ? ['public', 'internal'] : ['public']
    return { all: false, sensitivities, restrictedDepartments: [], key: `k${viewer.kiosk.id}` }
  }
  const u = viewer.user
  if (u.role === 'admin') return { all: true, sensitivities: ['public', 'internal', 'restricted'], restrictedDepartments: [], key: 'all' }
  const restricted = [...new Set([...(u.departmentId !== null ? [u.departmentId] : []), ...u.clearances])].sort((a, b) => a - b)
  return { all: false, sensitivities: ['public', 'internal'], restrictedDepartments: restricted, key: `pi|r${restricted.join(',')}` }
}

