import type { Selectable } from 'kysely'
import type { Db } from '../db/connect.js'
import type { AccessTokensTable, KioskLinksTable, SessionsTable, UsersTable } from '../db/schema.js'
import type { AccessTokenInfo, AuditEntry, KioskInfo, KioskRecord, SessionUser, UserRecord } from '../domain/access.js'
import type { AuditAction, AuditResult, KioskCeiling, Role } from '../domain/enums.js'

/** SQL of accounts, sessions, kiosk links, settings and the audit log (synchronous: called on every request). */

/** A user name compared with width and case folded, so 'Admin' and 'ａｄｍｉｎ' are one account. */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase()
}

/** A user as USER_SELECT reads it: the table's columns with the department's name and whether a second factor is on. */
type UserRow = Selectable<UsersTable> & { department_name: string | null; two_factor: number }

const USER_SELECT = `SELECT u.*, d.name AS department_name,
  EXISTS (SELECT 1 FROM user_two_factor t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL) AS two_factor
  FROM users u LEFT JOIN departments d ON d.id = u.department_id`

function clearancesOf(db: Db, userId: number): number[] {
  return db.sqlite.prepare(`SELECT department_id FROM user_clearances WHERE user_id = ? ORDER BY department_id`).pluck().all(userId) as number[]
}

function sessionUserOf(db: Db, r: UserRow): SessionUser {
  return {
    id: r.id, username: r.username, displayName: r.display_name, role: r.role,
    departmentId: r.department_id, departmentName: r.department_name, clearances: clearancesOf(db, r.id),
  }
}

function userRecordOf(db: Db, r: UserRow): UserRecord {
  return { ...sessionUserOf(db, r), twoFactor: r.two_factor === 1, disabled: r.disabled === 1, lockedUntil: r.locked_until, lastSignInAt: r.last_sign_in_at, createdAt: r.created_at }
}

export interface Credentials {
  user: SessionUser
  passwordHash: string
  failedCount: number
  lockedUntil: string | null
  disabled: boolean
  /** Signs in with a second factor (TOTP). */
  twoFactor: boolean
  passwordChangedAt: string
}

function credentialsOfRow(db: Db, r: UserRow): Credentials {
  return {
    user: sessionUserOf(db, r), passwordHash: r.password_hash, failedCount: r.failed_count, lockedUntil: r.locked_until, disabled: r.disabled === 1,
    twoFactor: r.two_factor === 1, passwordChangedAt: r.password_changed_at,
  }
}

export function credentialsOf(db: Db, username: string): Credentials | null {
  const r = db.sqlite.prepare(`${USER_SELECT} WHERE u.username_key = ?`).get(usernameKey(username)) as UserRow | undefined
  return r ? credentialsOfRow(db, r) : null
}

export function credentialsById(db: Db, id: number): Credentials | null {
  const r = db.sqlite.prepare(`${USER_SELECT} WHERE u.id = ?`).get(id) as UserRow | undefined
  return r ? credentialsOfRow(db, r) : null
}

export function passwordHashOf(db: Db, userId: number): string | null {
  return (db.sqlite.prepare(`SELECT password_hash FROM users WHERE id = ?`).pluck().get(userId) as string | undefined) ?? null
}

export function listUsers(db: Db): UserRecord[] {
  const rows = db.sqlite.prepare(`${USER_SELECT} ORDER BY u.role = 'admin' DESC, u.username_key`).all() as UserRow[]
  return rows.map((r) => userRecordOf(db, r))
}

export function userById(db: Db, id: number): UserRecord | null {
  const r = db.sqlite.prepare(`${USER_SELECT} WHERE u.id = ?`).get(id) as UserRow | undefined
  return r ? userRecordOf(db, r) : null
}

export function countUsers(db: Db): number {
  return db.sqlite.prepare(`SELECT count(*) FROM users`).pluck().get() as number
}

export interface UserFields {
  displayName: string
  role: Role
  departmentId: number | null
  clearances: number[]
}

export function usernameTaken(db: Db, username: string, exceptId = 0): boolean {
  return db.sqlite.prepare(`SELECT 1 FROM users WHERE username_key = ? AND id <> ?`).get(usernameKey(username), exceptId) !== undefined
}

export function insertUser(db: Db, username: string, fields: UserFields, passwordHash: string, now: Date): number {
  const at = now.toISOString()
  return db.sqlite.transaction(() => {
    const id = Number(db.sqlite.prepare(`INSERT INTO users (username, username_key, display_name, role, department_id, password_hash,
      password_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(username.trim(), usernameKey(username), fields.displayName, fields.role, fields.departmentId, passwordHash, at, at, at).lastInsertRowid)
    setClearances(db, id, fields.clearances)
    return id
  })()
}

function setClearances(db: Db, userId: number, departments: number[]): void {
  db.sqlite.prepare(`DELETE FROM user_clearances WHERE user_id = ?`).run(userId)
  const st = db.sqlite.prepare(`INSERT INTO user_clearances (user_id, department_id) VALUES (?, ?)`)
  for (const d of new Set(departments)) st.run(userId, d)
}

/** Changes a user's role, department, clearances or status; disabling or a new role ends their sessions. */
export function updateUser(db: Db, id: number, fields: UserFields & { disabled: boolean }, now: Date): void {
  db.sqlite.transaction(() => {
    db.sqlite.prepare(`UPDATE users SET display_name = ?, role = ?, department_id = ?, disabled = ?, updated_at = ? WHERE id = ?`)
      .run(fields.displayName, fields.role, fields.departmentId, fields.disabled ? 1 : 0, now.toISOString(), id)
    setClearances(db, id, fields.clearances)
    db.sqlite.prepare(`DELETE FROM sessions WHERE user_id = ?`).run(id)
  })()
}

/** Sets a new password hash and ends every session of the user (except one, when they changed it themselves). */
export function setPassword(db: Db, id: number, passwordHash: string, now: Date, keepSession?: string): void {
  db.sqlite.transaction(() => {
    db.sqlite.prepare(`UPDATE users SET password_hash = ?, password_changed_at = ?, failed_count = 0, locked_until = NULL, updated_at = ? WHERE id = ?`)
      .run(passwordHash, now.toISOString(), now.toISOString(), id)
    db.sqlite.prepare(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`).run(id, keepSession ?? '')
  })()
}

/**
 * Counts a failed sign-in of an account in one statement (processes over one database count
 * together); at `max` failures the count starts again and the account is locked until `lockedUntil`.
 * True when this failure locked it.
 */
export function recordFailedSignIn(db: Db, id: number, max: number, lockedUntil: string): boolean {
  const row = db.sqlite.prepare(`UPDATE users SET
      failed_count = CASE WHEN failed_count + 1 >= ? THEN 0 ELSE failed_count + 1 END,
      locked_until = CASE WHEN failed_count + 1 >= ? THEN ? ELSE locked_until END
    WHERE id = ? RETURNING failed_count = 0 AND locked_until = ? AS locked`).get(max, max, lockedUntil, id, lockedUntil) as { locked: number } | undefined
  return row?.locked === 1
}

export function recordSignIn(db: Db, id: number, now: Date): void {
  db.sqlite.prepare(`UPDATE users SET failed_count = 0, locked_until = NULL, last_sign_in_at = ? WHERE id = ?`).run(now.toISOString(), id)
}

export function unlockUser(db: Db, id: number): void {
  db.sqlite.prepare(`UPDATE users SET failed_count = 0, locked_until = NULL WHERE id = ?`).run(id)
}

export function countAdmins(db: Db, exceptId = 0): number {
  return db.sqlite.prepare(`SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id <> ?`).pluck().get(exceptId) as number
}

// ---- sessions ----

export type SessionRow = Omit<Selectable<SessionsTable>, 'address'>

export function insertSession(db: Db, s: Omit<SessionRow, 'last_seen_at'> & { address: string }): void {
  db.sqlite.prepare(`INSERT INTO sessions (token_hash, kind, user_id, kiosk_id, csrf_token, created_at, last_seen_at, expires_at, address)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(s.token_hash, s.kind, s.user_id, s.kiosk_id, s.csrf_token, s.created_at, s.created_at, s.expires_at, s.address)
}

export function sessionByHash(db: Db, tokenHash: string): SessionRow | null {
  return (db.sqlite.prepare(`SELECT * FROM sessions WHERE token_hash = ?`).get(tokenHash) as SessionRow | undefined) ?? null
}

export function touchSession(db: Db, tokenHash: string, now: Date): void {
  db.sqlite.prepare(`UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`).run(now.toISOString(), tokenHash)
}

export function deleteSession(db: Db, tokenHash: string): void {
  db.sqlite.prepare(`DELETE FROM sessions WHERE token_hash = ?`).run(tokenHash)
}

/** Drops sessions past their absolute or idle expiry. */
export function purgeSessions(db: Db, now: Date, idleMs: number): void {
  db.sqlite.prepare(`DELETE FROM sessions WHERE expires_at <= ? OR (kind = 'user' AND last_seen_at <= ?)`)
    .run(now.toISOString(), new Date(now.getTime() - idleMs).toISOString())
}

/** The signed-in user with what decides whether they must act first (password age, second factor). */
export function activeAccount(db: Db, userId: number): { user: SessionUser; twoFactor: boolean; passwordChangedAt: string } | null {
  const r = db.sqlite.prepare(`${USER_SELECT} WHERE u.id = ? AND u.disabled = 0`).get(userId) as UserRow | undefined
  return r ? { user: sessionUserOf(db, r), twoFactor: r.two_factor === 1, passwordChangedAt: r.password_changed_at } : null
}

// ---- kiosk links ----

/** A kiosk link as KIOSK_SELECT reads it, with the user name of who made it. */
type KioskRow = Selectable<KioskLinksTable> & { created_by_name: string | null }

const KIOSK_SELECT = `SELECT k.*, u.username AS created_by_name FROM kiosk_links k LEFT JOIN users u ON u.id = k.created_by`

function kioskRecordOf(r: KioskRow): KioskRecord {
  return { id: r.id, label: r.label, ceiling: r.ceiling, query: r.query, createdAt: r.created_at, createdBy: r.created_by_name, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at }
}

export function listKioskLinks(db: Db): KioskRecord[] {
  return (db.sqlite.prepare(`${KIOSK_SELECT} ORDER BY k.revoked_at IS NOT NULL, k.id DESC`).all() as KioskRow[]).map(kioskRecordOf)
}

export function kioskById(db: Db, id: number): KioskRecord | null {
  const r = db.sqlite.prepare(`${KIOSK_SELECT} WHERE k.id = ?`).get(id) as KioskRow | undefined
  return r ? kioskRecordOf(r) : null
}

/** The live (unrevoked) link with this token hash. */
export function liveKioskByHash(db: Db, tokenHash: string): KioskInfo | null {
  const r = db.sqlite.prepare(`SELECT id, label, ceiling, query FROM kiosk_links WHERE token_hash = ? AND revoked_at IS NULL`).get(tokenHash) as KioskInfo | undefined
  return r ?? null
}

export function liveKioskById(db: Db, id: number): KioskInfo | null {
  const r = db.sqlite.prepare(`SELECT id, label, ceiling, query FROM kiosk_links WHERE id = ? AND revoked_at IS NULL`).get(id) as KioskInfo | undefined
  return r ?? null
}

export function insertKioskLink(db: Db, k: { label: string; ceiling: KioskCeiling; query: string; tokenHash: string; createdBy: number }, now: Date): number {
  return Number(db.sqlite.prepare(`INSERT INTO kiosk_links (label, token_hash, ceiling, query, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
    .run(k.label, k.tokenHash, k.ceiling, k.query, k.createdBy, now.toISOString()).lastInsertRowid)
}

/** Revokes a link and ends the wall sessions opened with it. */
export function revokeKioskLink(db: Db, id: number, now: Date): void {
  db.sqlite.transaction(() => {
    db.sqlite.prepare(`UPDATE kiosk_links SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`).run(now.toISOString(), id)
    db.sqlite.prepare(`DELETE FROM sessions WHERE kiosk_id = ?`).run(id)
  })()
}

export function markKioskUsed(db: Db, id: number, now: Date): void {
  db.sqlite.prepare(`UPDATE kiosk_links SET last_used_at = ? WHERE id = ?`).run(now.toISOString(), id)
}

// ---- personal access tokens ----

type TokenRow = Omit<Selectable<AccessTokensTable>, 'user_id' | 'token_hash'>

function tokenInfoOf(r: TokenRow): AccessTokenInfo {
  return { id: r.id, label: r.label, prefix: r.prefix, createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }
}

/** A user's tokens, live ones first. */
export function tokensOfUser(db: Db, userId: number): AccessTokenInfo[] {
  return (db.sqlite.prepare(`SELECT id, label, prefix, created_at, expires_at, last_used_at, revoked_at FROM access_tokens
    WHERE user_id = ? ORDER BY revoked_at IS NOT NULL, id DESC`).all(userId) as TokenRow[]).map(tokenInfoOf)
}

export function countLiveTokens(db: Db, userId: number, now: Date): number {
  return db.sqlite.prepare(`SELECT count(*) FROM access_tokens WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?`).pluck().get(userId, now.toISOString()) as number
}

export function insertToken(db: Db, t: { userId: number; label: string; prefix: string; tokenHash: string; expiresAt: string }, now: Date): AccessTokenInfo {
  const id = Number(db.sqlite.prepare(`INSERT INTO access_tokens (user_id, label, prefix, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`)
    .run(t.userId, t.label, t.prefix, t.tokenHash, now.toISOString(), t.expiresAt).lastInsertRowid)
  return tokenInfoOf(db.sqlite.prepare(`SELECT * FROM access_tokens WHERE id = ?`).get(id) as TokenRow)
}

/** Revokes one of a user's tokens; null when the user has no such token. */
export function revokeToken(db: Db, userId: number, id: number, now: Date): AccessTokenInfo | null {
  db.sqlite.prepare(`UPDATE access_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? AND user_id = ?`).run(now.toISOString(), id, userId)
  const r = db.sqlite.prepare(`SELECT * FROM access_tokens WHERE id = ? AND user_id = ?`).get(id, userId) as TokenRow | undefined
  return r ? tokenInfoOf(r) : null
}

/** The live token with this hash and its owner's id, if neither expired nor revoked. */
export function liveTokenByHash(db: Db, tokenHash: string, now: Date): { id: number; userId: number; lastUsedAt: string | null } | null {
  const r = db.sqlite.prepare(`SELECT id, user_id, last_used_at FROM access_tokens WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?`)
    .get(tokenHash, now.toISOString()) as { id: number; user_id: number; last_used_at: string | null } | undefined
  return r ? { id: r.id, userId: r.user_id, lastUsedAt: r.last_used_at } : null
}

export function markTokenUsed(db: Db, id: number, now: Date): void {
  db.sqlite.prepare(`UPDATE access_tokens SET last_used_at = ? WHERE id = ?`).run(now.toISOString(), id)
}

// ---- settings ----

export function setting(db: Db, key: string): string | null {
  return (db.sqlite.prepare(`SELECT value FROM settings WHERE key = ?`).pluck().get(key) as string | undefined) ?? null
}

export function setSetting(db: Db, key: string, value: string): void {
  db.sqlite.prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(key, value)
}

// ---- audit log ----

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>

export function insertAudit(db: Db, e: NewAuditEntry, now: Date): void {
  db.sqlite.prepare(`INSERT INTO audit_log (at, user_id, username, role, address, action, target, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(now.toISOString(), e.userId, e.username, e.role, e.address.slice(0, 100), e.action, e.target.slice(0, 500), e.result, e.detail.slice(0, 2000))
}

export interface AuditQuery {
  from?: string
  to?: string
  user?: string
  action?: AuditAction
  result?: AuditResult
  q?: string
  page: number
  pageSize: number
}

/** The time in Asia/Shanghai (UTC+8, no daylight saving) with its offset. */
function shanghaiTime(iso: string): string {
  const t = new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString()
  return `${t.slice(0, 23)}+08:00`
}

/** Start of a Shanghai calendar day as a UTC ISO time. */
function dayStartUtc(day: string): string {
  return new Date(`${day}T00:00:00.000+08:00`).toISOString()
}

export function listAudit(db: Db, q: AuditQuery): { items: AuditEntry[]; total: number; page: number; pageSize: number } {
  const where: string[] = []
  const args: (string | number)[] = []
  if (q.from) { where.push('at >= ?'); args.push(dayStartUtc(q.from)) }
  if (q.to) { where.push('at < ?'); args.push(new Date(new Date(dayStartUtc(q.to)).getTime() + 86_400_000).toISOString()) }
  if (q.user) { where.push('username = ?'); args.push(q.user) }
  if (q.action) { where.push('action = ?'); args.push(q.action) }
  if (q.result) { where.push('result = ?'); args.push(q.result) }
  if (q.q) {
    where.push(`(target LIKE ? ESCAPE '\\' OR detail LIKE ? ESCAPE '\\' OR address LIKE ? ESCAPE '\\')`)
    const p = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    args.push(p, p, p)
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const total = db.sqlite.prepare(`SELECT count(*) FROM audit_log ${clause}`).pluck().get(...args) as number
  const rows = db.sqlite.prepare(`SELECT * FROM audit_log ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`)
    .all(...args, q.pageSize, (q.page - 1) * q.pageSize) as (Omit<AuditEntry, 'userId'> & { user_id: number | null })[]
  return {
    items: rows.map((r) => ({ id: r.id, at: shanghaiTime(r.at), userId: r.user_id, username: r.username, role: r.role, address: r.address,
      action: r.action, target: r.target, result: r.result, detail: r.detail })),
    total, page: q.page, pageSize: q.pageSize,
  }
}
