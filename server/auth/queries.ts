import { sql, type Kysely, type Selectable } from 'kysely'
import type { Db } from '../db/connect.js'
import { compiledOnce } from '../db/compiled.js'
import { containsText, forUpdate, inTransaction, joinedText } from '../db/dialect.js'
import type { AccessTokensTable, Database, KioskLinksTable, SessionsTable, UsersTable } from '../db/schema.js'
import type { AccessTokenInfo, AuditEntry, KioskInfo, KioskRecord, SessionUser, UserRecord } from '../domain/access.js'
import type { AuditAction, AuditResult, KioskCeiling, Role } from '../domain/enums.js'

/** SQL of accounts, sessions, kiosk links, settings and the audit log (Kysely, the same on both engines). */

/** A user name compared with width and case folded, so 'Admin' and 'ａｄｍｉｎ' are one account. */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase()
}

/** A user as the user query reads it: the table's columns with the department's name and whether a second factor is on. */
type UserRow = Selectable<UsersTable> & { department_name: string | null; two_factor: number }

function usersQuery(k: Kysely<Database>) {
  return k.selectFrom('users as u').leftJoin('departments as d', 'd.id', 'u.department_id')
    .selectAll('u')
    .select((eb) => [
      'd.name as department_name',
      sql<number>`CASE WHEN EXISTS (SELECT 1 FROM user_two_factor t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL) THEN 1 ELSE 0 END`.as('two_factor'),
    ])
}

async function clearancesOf(db: Db, userId: number): Promise<number[]> {
  const rows = await db.kysely.selectFrom('user_clearances').select('department_id').where('user_id', '=', userId).orderBy('department_id').execute()
  return rows.map((r) => Number(r.department_id))
}

async function sessionUserOf(db: Db, r: UserRow): Promise<SessionUser> {
  return {
    id: r.id, username: r.username, displayName: r.display_name, role: r.role as Role,
    departmentId: r.department_id, departmentName: r.department_name, clearances: await clearancesOf(db, r.id),
  }
}

async function userRecordOf(db: Db, r: UserRow): Promise<UserRecord> {
  return { ...(await sessionUserOf(db, r)), twoFactor: Number(r.two_factor) === 1, disabled: r.disabled === 1, lockedUntil: r.locked_until, lastSignInAt: r.last_sign_in_at, createdAt: r.created_at }
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

async function credentialsOfRow(db: Db, r: UserRow): Promise<Credentials> {
  return {
    user: await sessionUserOf(db, r), passwordHash: r.password_hash, failedCount: r.failed_count, lockedUntil: r.locked_until, disabled: r.disabled === 1,
    twoFactor: Number(r.two_factor) === 1, passwordChangedAt: r.password_changed_at,
  }
}

export async function credentialsOf(db: Db, username: string): Promise<Credentials | null> {
  const r = await usersQuery(db.kysely).where('u.username_key', '=', usernameKey(username)).executeTakeFirst() as UserRow | undefined
  return r ? credentialsOfRow(db, r) : null
}

export async function credentialsById(db: Db, id: number): Promise<Credentials | null> {
  const r = await usersQuery(db.kysely).where('u.id', '=', id).executeTakeFirst() as UserRow | undefined
  return r ? credentialsOfRow(db, r) : null
}

export async function passwordHashOf(db: Db, userId: number): Promise<string | null> {
  return (await db.kysely.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst())?.password_hash ?? null
}

export async function listUsers(db: Db): Promise<UserRecord[]> {
  const rows = await usersQuery(db.kysely).orderBy(sql`CASE WHEN u.role = 'admin' THEN 0 ELSE 1 END`).orderBy('u.username_key').execute() as UserRow[]
  return Promise.all(rows.map((r) => userRecordOf(db, r)))
}

export async function userById(db: Db, id: number): Promise<UserRecord | null> {
  const r = await usersQuery(db.kysely).where('u.id', '=', id).executeTakeFirst() as UserRow | undefined
  return r ? userRecordOf(db, r) : null
}

export async function countUsers(db: Db): Promise<number> {
  return Number((await db.kysely.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
}

export interface UserFields {
  displayName: string
  role: Role
  departmentId: number | null
  clearances: number[]
}

export async function usernameTaken(db: Db, username: string, exceptId = 0): Promise<boolean> {
  return !!(await db.kysely.selectFrom('users').select('id').where('username_key', '=', usernameKey(username)).where('id', '<>', exceptId).executeTakeFirst())
}

export async function insertUser(db: Db, username: string, fields: UserFields, passwordHash: string, now: Date): Promise<number> {
  const at = now.toISOString()
  return inTransaction(db, async (trx) => {
    const { id } = await trx.insertInto('users').values({
      username: username.trim(), username_key: usernameKey(username), display_name: fields.displayName, role: fields.role, department_id: fields.departmentId,
      password_hash: passwordHash, password_changed_at: at, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow()
    await setClearances(trx, id, fields.clearances)
    return id
  })
}

async function setClearances(k: Kysely<Database>, userId: number, departments: number[]): Promise<void> {
  await k.deleteFrom('user_clearances').where('user_id', '=', userId).execute()
  const unique = [...new Set(departments)]
  if (unique.length) await k.insertInto('user_clearances').values(unique.map((d) => ({ user_id: userId, department_id: d }))).execute()
}

/**
 * Changes a user's role, department, clearances or status; disabling or a new role ends their sessions.
 * False, changing nothing, when it would demote or disable the last active administrator: the check is
 * part of the update statement, so two such changes at once cannot both pass it.
 */
export async function updateUser(db: Db, id: number, fields: UserFields & { disabled: boolean }, now: Date): Promise<boolean> {
  const staysAdmin = fields.role === 'admin' && !fields.disabled
  return inTransaction(db, async (trx) => {
    let update = trx.updateTable('users').set({ display_name: fields.displayName, role: fields.role, department_id: fields.departmentId, disabled: fields.disabled ? 1 : 0, updated_at: now.toISOString() })
      .where('id', '=', id)
    if (!staysAdmin) {
      // On PostgreSQL the active administrators' rows are locked first (in id order), so that a change to
      // one of them by a transaction at the same time is committed before the check below reads them.
      await forUpdate(db.engine, trx.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled', '=', 0).orderBy('id')).execute()
      update = update.where((eb) => eb.or([
        eb('role', '<>', 'admin'),
        eb.exists(eb.selectFrom('users as other').select('other.id').where('other.role', '=', 'admin').where('other.disabled', '=', 0).where('other.id', '<>', id)),
      ]))
    }
    if (Number((await update.executeTakeFirst()).numUpdatedRows) !== 1) return false
    await setClearances(trx, id, fields.clearances)
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute()
    return true
  })
}

/** Sets a new password hash and ends every session of the user (except one, when they changed it themselves). */
export async function setPassword(db: Db, id: number, passwordHash: string, now: Date, keepSession?: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: now.toISOString(), failed_count: 0, locked_until: null, updated_at: now.toISOString() })
      .where('id', '=', id).execute()
    await trx.deleteFrom('sessions').where('user_id', '=', id).where('token_hash', '<>', keepSession ?? '').execute()
  })
}

/**
 * Counts a failed sign-in of an account in one statement (processes over one database count
 * together); at `max` failures the count starts again and the account is locked until `lockedUntil`.
 * True when this failure locked it.
 */
export async function recordFailedSignIn(db: Db, id: number, max: number, lockedUntil: string): Promise<boolean> {
  const row = await db.kysely.updateTable('users').set({
    failed_count: sql<number>`CASE WHEN failed_count + 1 >= ${max} THEN 0 ELSE failed_count + 1 END`,
    locked_until: sql<string | null>`CASE WHEN failed_count + 1 >= ${max} THEN ${lockedUntil} ELSE locked_until END`,
  }).where('id', '=', id).returning(['failed_count', 'locked_until']).executeTakeFirst()
  return !!row && Number(row.failed_count) === 0 && row.locked_until === lockedUntil
}

export async function recordSignIn(db: Db, id: number, now: Date): Promise<void> {
  await db.kysely.updateTable('users').set({ failed_count: 0, locked_until: null, last_sign_in_at: now.toISOString() }).where('id', '=', id).execute()
}

export async function unlockUser(db: Db, id: number): Promise<void> {
  await db.kysely.updateTable('users').set({ failed_count: 0, locked_until: null }).where('id', '=', id).execute()
}

// ---- sessions ----

export type SessionRow = Omit<Selectable<SessionsTable>, 'address'>

export async function insertSession(db: Db, s: Omit<SessionRow, 'last_seen_at'> & { address: string }): Promise<void> {
  await db.kysely.insertInto('sessions').values({
    token_hash: s.token_hash, kind: s.kind, user_id: s.user_id, kiosk_id: s.kiosk_id, csrf_token: s.csrf_token,
    created_at: s.created_at, last_seen_at: s.created_at, expires_at: s.expires_at, address: s.address,
  }).execute()
}

export async function touchSession(db: Db, tokenHash: string, now: Date): Promise<void> {
  await db.kysely.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('token_hash', '=', tokenHash).execute()
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.kysely.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute()
}

/** Drops sessions past their absolute or idle expiry. */
export async function purgeSessions(db: Db, now: Date, idleMs: number): Promise<void> {
  const idleSince = new Date(now.getTime() - idleMs).toISOString()
  await db.kysely.deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now.toISOString()), eb.and([eb('kind', '=', 'user'), eb('last_seen_at', '<=', idleSince)])]))
    .execute()
}

/** The query of sessionWithOwner, compiled once: every request runs it. */
const sessionQuery = compiledOnce((db, tokenHash: string) => db.kysely.selectFrom('sessions as s')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 's.user_id').on('u.disabled', '=', 0))
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .leftJoin('kiosk_links as k', (j) => j.onRef('k.id', '=', 's.kiosk_id').on('k.revoked_at', 'is', null))
    .select(['s.token_hash', 's.kind', 's.user_id', 's.kiosk_id', 's.csrf_token', 's.created_at', 's.last_seen_at', 's.expires_at',
      'u.id as uid', 'u.username', 'u.display_name', 'u.role', 'u.department_id', 'u.password_changed_at', 'd.name as department_name',
      'k.id as kid', 'k.label as kiosk_label', 'k.ceiling as kiosk_ceiling', 'k.query as kiosk_query'])
    .select((eb) => [
      sql<number>`CASE WHEN EXISTS (SELECT 1 FROM user_two_factor t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL) THEN 1 ELSE 0 END`.as('two_factor'),
      eb.selectFrom('user_clearances as c').whereRef('c.user_id', '=', 'u.id').select(joinedText(db.engine, sql.ref('c.department_id'), ',').as('ids')).as('clearances'),
    ])
    .where('s.token_hash', '=', tokenHash))

/**
 * A session with what the request needs about its owner, in one query (every request asks this):
 * the active user's account and clearances, or the live kiosk link; null fields when the owner is
 * gone, disabled or revoked.
 */
export async function sessionWithOwner(db: Db, tokenHash: string): Promise<SessionWithOwner | null> {
  // Every request asks: on SQLite the answer is kept until anything is written (connect.ts, changeStamp).
  const stamp = db.changeStamp?.() ?? null
  if (stamp !== null) {
    const kept = keptSessions.get(db)
    if (kept?.stamp === stamp && kept.rows.has(tokenHash)) return kept.rows.get(tokenHash)!
  }
  const found = await readSessionWithOwner(db, tokenHash)
  if (stamp !== null) {
    let kept = keptSessions.get(db)
    if (kept?.stamp !== stamp) keptSessions.set(db, (kept = { stamp, rows: new Map() }))
    if (kept.rows.size < MAX_KEPT_SESSIONS) kept.rows.set(tokenHash, found)
  }
  return found
}

export interface SessionWithOwner {
  session: Readonly<SessionRow>
  account: Readonly<{ user: Readonly<SessionUser>; twoFactor: boolean; passwordChangedAt: string }> | null
  kiosk: Readonly<KioskInfo> | null
}
const MAX_KEPT_SESSIONS = 10_000
const keptSessions = new WeakMap<Db, { stamp: string; rows: Map<string, SessionWithOwner | null> }>()

/** The session and its owner as stored (frozen: an answer may be kept and given to later requests). */
async function readSessionWithOwner(db: Db, tokenHash: string): Promise<SessionWithOwner | null> {
  const [r] = await sessionQuery(db, tokenHash)
  if (!r) return null
  const session: SessionRow = {
    token_hash: r.token_hash, kind: r.kind, user_id: r.user_id, kiosk_id: r.kiosk_id, csrf_token: r.csrf_token,
    created_at: r.created_at, last_seen_at: r.last_seen_at, expires_at: r.expires_at,
  }
  const clearances = (r.clearances ?? '').split(',').filter(Boolean).map(Number).sort((a, b) => a - b)
  const account = r.uid == null ? null : {
    user: { id: Number(r.uid), username: r.username!, displayName: r.display_name!, role: r.role as Role, departmentId: r.department_id ?? null, departmentName: r.department_name ?? null, clearances },
    twoFactor: Number(r.two_factor) === 1, passwordChangedAt: r.password_changed_at!,
  }
  const kiosk = r.kid == null ? null : { id: Number(r.kid), label: r.kiosk_label!, ceiling: r.kiosk_ceiling as KioskCeiling, query: r.kiosk_query! }
  if (account) Object.freeze(Object.freeze(account.user).clearances)
  return Object.freeze({ session: Object.freeze(session), account: account && Object.freeze(account), kiosk: kiosk && Object.freeze(kiosk) })
}

/** The signed-in user with what decides whether they must act first (password age, second factor). */
export async function activeAccount(db: Db, userId: number): Promise<{ user: SessionUser; twoFactor: boolean; passwordChangedAt: string } | null> {
  const r = await usersQuery(db.kysely).where('u.id', '=', userId).where('u.disabled', '=', 0).executeTakeFirst() as UserRow | undefined
  return r ? { user: await sessionUserOf(db, r), twoFactor: Number(r.two_factor) === 1, passwordChangedAt: r.password_changed_at } : null
}

// ---- kiosk links ----

/** A kiosk link as the kiosk query reads it, with the user name of who made it. */
type KioskRow = Selectable<KioskLinksTable> & { created_by_name: string | null }

function kiosksQuery(k: Kysely<Database>) {
  return k.selectFrom('kiosk_links as k').leftJoin('users as u', 'u.id', 'k.created_by').selectAll('k').select('u.username as created_by_name')
}

function kioskRecordOf(r: KioskRow): KioskRecord {
  return { id: r.id, label: r.label, ceiling: r.ceiling as KioskCeiling, query: r.query, createdAt: r.created_at, createdBy: r.created_by_name, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at }
}

export async function listKioskLinks(db: Db): Promise<KioskRecord[]> {
  const rows = await kiosksQuery(db.kysely).orderBy(sql`CASE WHEN k.revoked_at IS NULL THEN 0 ELSE 1 END`).orderBy('k.id', 'desc').execute()
  return (rows as KioskRow[]).map(kioskRecordOf)
}

export async function kioskById(db: Db, id: number): Promise<KioskRecord | null> {
  const r = await kiosksQuery(db.kysely).where('k.id', '=', id).executeTakeFirst() as KioskRow | undefined
  return r ? kioskRecordOf(r) : null
}

/** The live (unrevoked) link with this token hash. */
export async function liveKioskByHash(db: Db, tokenHash: string): Promise<KioskInfo | null> {
  const r = await db.kysely.selectFrom('kiosk_links').select(['id', 'label', 'ceiling', 'query']).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst()
  return (r as KioskInfo | undefined) ?? null
}

export async function insertKioskLink(db: Db, k: { label: string; ceiling: KioskCeiling; query: string; tokenHash: string; createdBy: number }, now: Date): Promise<number> {
  const { id } = await db.kysely.insertInto('kiosk_links')
    .values({ label: k.label, token_hash: k.tokenHash, ceiling: k.ceiling, query: k.query, created_by: k.createdBy, created_at: now.toISOString() })
    .returning('id').executeTakeFirstOrThrow()
  return id
}

/** Revokes a link and ends the wall sessions opened with it. */
export async function revokeKioskLink(db: Db, id: number, now: Date): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.updateTable('kiosk_links').set({ revoked_at: sql`coalesce(revoked_at, ${now.toISOString()})` }).where('id', '=', id).execute()
    await trx.deleteFrom('sessions').where('kiosk_id', '=', id).execute()
  })
}

export async function markKioskUsed(db: Db, id: number, now: Date): Promise<void> {
  await db.kysely.updateTable('kiosk_links').set({ last_used_at: now.toISOString() }).where('id', '=', id).execute()
}

// ---- personal access tokens ----

type TokenRow = Omit<Selectable<AccessTokensTable>, 'user_id' | 'token_hash'>
const TOKEN_COLUMNS = ['id', 'label', 'prefix', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'] as const

function tokenInfoOf(r: TokenRow): AccessTokenInfo {
  return { id: r.id, label: r.label, prefix: r.prefix, createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }
}

/** A user's tokens, live ones first. */
export async function tokensOfUser(db: Db, userId: number): Promise<AccessTokenInfo[]> {
  const rows = await db.kysely.selectFrom('access_tokens').select(TOKEN_COLUMNS).where('user_id', '=', userId)
    .orderBy(sql`CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END`).orderBy('id', 'desc').execute()
  return rows.map(tokenInfoOf)
}

export async function countLiveTokens(db: Db, userId: number, now: Date): Promise<number> {
  const r = await db.kysely.selectFrom('access_tokens').select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId).where('revoked_at', 'is', null).where('expires_at', '>', now.toISOString()).executeTakeFirstOrThrow()
  return Number(r.n)
}

export async function insertToken(db: Db, t: { userId: number; label: string; prefix: string; tokenHash: string; expiresAt: string }, now: Date): Promise<AccessTokenInfo> {
  const row = await db.kysely.insertInto('access_tokens')
    .values({ user_id: t.userId, label: t.label, prefix: t.prefix, token_hash: t.tokenHash, created_at: now.toISOString(), expires_at: t.expiresAt })
    .returning(TOKEN_COLUMNS).executeTakeFirstOrThrow()
  return tokenInfoOf(row)
}

/** Revokes one of a user's tokens; null when the user has no such token. */
export async function revokeToken(db: Db, userId: number, id: number, now: Date): Promise<AccessTokenInfo | null> {
  const r = await db.kysely.updateTable('access_tokens').set({ revoked_at: sql`coalesce(revoked_at, ${now.toISOString()})` })
    .where('id', '=', id).where('user_id', '=', userId).returning(TOKEN_COLUMNS).executeTakeFirst()
  return r ? tokenInfoOf(r) : null
}

/** The live token with this hash and its owner's id, if neither expired nor revoked. */
export async function liveTokenByHash(db: Db, tokenHash: string, now: Date): Promise<{ id: number; userId: number; lastUsedAt: string | null } | null> {
  const r = await db.kysely.selectFrom('access_tokens').select(['id', 'user_id', 'last_used_at'])
    .where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).where('expires_at', '>', now.toISOString()).executeTakeFirst()
  return r ? { id: r.id, userId: r.user_id, lastUsedAt: r.last_used_at } : null
}

export async function markTokenUsed(db: Db, id: number, now: Date): Promise<void> {
  await db.kysely.updateTable('access_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', id).execute()
}

// ---- settings ----

export async function setting(db: Db, key: string): Promise<string | null> {
  return (await db.kysely.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null
}

export async function setSetting(db: Db, key: string, value: string): Promise<void> {
  await db.kysely.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()
}

// ---- audit log ----

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>

export async function insertAudit(db: Db, e: NewAuditEntry, now: Date): Promise<void> {
  await db.kysely.insertInto('audit_log').values({
    at: now.toISOString(), user_id: e.userId, username: e.username, role: e.role, address: e.address.slice(0, 100), action: e.action,
    target: e.target.slice(0, 500), result: e.result, detail: e.detail.slice(0, 2000),
  }).execute()
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

export async function listAudit(db: Db, q: AuditQuery): Promise<{ items: AuditEntry[]; total: number; page: number; pageSize: number }> {
  let query = db.kysely.selectFrom('audit_log')
  if (q.from) query = query.where('at', '>=', dayStartUtc(q.from))
  if (q.to) query = query.where('at', '<', new Date(new Date(dayStartUtc(q.to)).getTime() + 86_400_000).toISOString())
  if (q.user) query = query.where('username', '=', q.user)
  if (q.action) query = query.where('action', '=', q.action)
  if (q.result) query = query.where('result', '=', q.result)
  if (q.q) {
    const text = q.q
    query = query.where((eb) => eb.or([containsText(db.engine, 'target', text), containsText(db.engine, 'detail', text), containsText(db.engine, 'address', text)]))
  }
  const total = Number((await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
  const rows = await query.selectAll().orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute()
  return {
    items: rows.map((r) => ({ id: r.id, at: shanghaiTime(r.at), userId: r.user_id, username: r.username, role: r.role as AuditEntry['role'], address: r.address,
      action: r.action as AuditAction, target: r.target, result: r.result as AuditResult, detail: r.detail })),
    total, page: q.page, pageSize: q.pageSize,
  }
}
