import type { Db } from '../db/connect.js'
import type { TwoFactorStatus } from '../domain/access.js'

/** SQL of second factors, recovery codes and pending sign-ins (synchronous, like the other account queries). */

export interface TwoFactorRow {
  secret: string
  enabledAt: string | null
  lastStep: number
}

export function twoFactorOf(db: Db, userId: number): TwoFactorRow | null {
  const r = db.sqlite.prepare(`SELECT secret, enabled_at, last_step FROM user_two_factor WHERE user_id = ?`).get(userId) as
    { secret: string; enabled_at: string | null; last_step: number } | undefined
  return r ? { secret: r.secret, enabledAt: r.enabled_at, lastStep: r.last_step } : null
}

export function twoFactorStatus(db: Db, userId: number, required: boolean): TwoFactorStatus {
  const row = twoFactorOf(db, userId)
  const left = db.sqlite.prepare(`SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`).pluck().get(userId) as number
  const enabled = row?.enabledAt != null
  return { enabled, required, enabledAt: enabled ? row.enabledAt : null, recoveryCodesLeft: enabled ? left : 0 }
}

/** A new key waiting for its first code (replacing an earlier unfinished one); an enabled key is never replaced here. */
export function startEnrolment(db: Db, userId: number, secret: string, now: Date): void {
  db.sqlite.prepare(`INSERT INTO user_two_factor (user_id, secret, enabled_at, last_step, created_at) VALUES (?, ?, NULL, 0, ?)
    ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, last_step = 0, created_at = excluded.created_at WHERE enabled_at IS NULL`)
    .run(userId, secret, now.toISOString())
}

/** Turns the key on, with the step of the code that confirmed it, and sets the recovery codes. */
export function enableTwoFactor(db: Db, userId: number, step: number, recoveryHashes: string[], now: Date): void {
  db.sqlite.transaction(() => {
    db.sqlite.prepare(`UPDATE user_two_factor SET enabled_at = ?, last_step = ? WHERE user_id = ?`).run(now.toISOString(), step, userId)
    replaceRecoveryCodes(db, userId, recoveryHashes)
  })()
}

export function replaceRecoveryCodes(db: Db, userId: number, hashes: string[]): void {
  db.sqlite.transaction(() => {
    db.sqlite.prepare(`DELETE FROM recovery_codes WHERE user_id = ?`).run(userId)
    const st = db.sqlite.prepare(`INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`)
    for (const h of hashes) st.run(userId, h)
  })()
}

/** Records the step of an accepted code, so that the code cannot be used again. */
export function markStepUsed(db: Db, userId: number, step: number): void {
  db.sqlite.prepare(`UPDATE user_two_factor SET last_step = max(last_step, ?) WHERE user_id = ?`).run(step, userId)
}

/** Uses up an unused recovery code; false when there is none with this hash. */
export function useRecoveryCode(db: Db, userId: number, hash: string, now: Date): boolean {
  return db.sqlite.prepare(`UPDATE recovery_codes SET used_at = ? WHERE id = (SELECT id FROM recovery_codes WHERE user_id = ? AND code_hash = ? AND used_at IS NULL LIMIT 1)`)
    .run(now.toISOString(), userId, hash).changes === 1
}

export function recoveryCodesLeft(db: Db, userId: number): number {
  return db.sqlite.prepare(`SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`).pluck().get(userId) as number
}

/** Removes the second factor and its recovery codes (turned off by the user, or reset by an administrator). */
export function removeTwoFactor(db: Db, userId: number): void {
  db.sqlite.transaction(() => {
    db.sqlite.prepare(`DELETE FROM user_two_factor WHERE user_id = ?`).run(userId)
    db.sqlite.prepare(`DELETE FROM recovery_codes WHERE user_id = ?`).run(userId)
    db.sqlite.prepare(`DELETE FROM sign_in_challenges WHERE user_id = ?`).run(userId)
  })()
}

// ---- pending sign-ins (a right password waiting for its code) ----

export interface ChallengeRow {
  userId: number
  attempts: number
}

/** Starts a pending sign-in; an earlier one of the same user ends, and expired ones are dropped. */
export function insertChallenge(db: Db, c: { tokenHash: string; userId: number; address: string; expiresAt: string }, now: Date): void {
  db.sqlite.transaction(() => {
    db.sqlite.prepare(`DELETE FROM sign_in_challenges WHERE user_id = ? OR expires_at <= ?`).run(c.userId, now.toISOString())
    db.sqlite.prepare(`INSERT INTO sign_in_challenges (token_hash, user_id, created_at, expires_at, attempts, address) VALUES (?, ?, ?, ?, 0, ?)`)
      .run(c.tokenHash, c.userId, now.toISOString(), c.expiresAt, c.address.slice(0, 100))
  })()
}

/** The live pending sign-in with this token hash. */
export function liveChallenge(db: Db, tokenHash: string, now: Date): ChallengeRow | null {
  const r = db.sqlite.prepare(`SELECT user_id, attempts FROM sign_in_challenges WHERE token_hash = ? AND expires_at > ?`).get(tokenHash, now.toISOString()) as
    { user_id: number; attempts: number } | undefined
  return r ? { userId: r.user_id, attempts: r.attempts } : null
}

/** Counts a wrong code; returns the attempts made so far. */
export function countChallengeAttempt(db: Db, tokenHash: string): number {
  db.sqlite.prepare(`UPDATE sign_in_challenges SET attempts = attempts + 1 WHERE token_hash = ?`).run(tokenHash)
  return (db.sqlite.prepare(`SELECT attempts FROM sign_in_challenges WHERE token_hash = ?`).pluck().get(tokenHash) as number | undefined) ?? 0
}

export function deleteChallenge(db: Db, tokenHash: string): void {
  db.sqlite.prepare(`DELETE FROM sign_in_challenges WHERE token_hash = ?`).run(tokenHash)
}

/** Ends every session of a user but `keep` (an administrator resetting their own second factor stays signed in). */
export function endSessionsOf(db: Db, userId: number, keep = ''): void {
  db.sqlite.prepare(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`).run(userId, keep)
}
