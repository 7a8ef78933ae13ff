import { sql } from 'kysely'
import type { Db } from '../db/connect.js'
import { inTransaction } from '../db/dialect.js'
import type { TwoFactorStatus } from '../domain/access.js'

/** SQL of second factors, recovery codes and pending sign-ins (Kysely, the same on both engines). */

export interface TwoFactorRow {
  secret: string
  enabledAt: string | null
  lastStep: number
}

export async function twoFactorOf(db: Db, userId: number): Promise<TwoFactorRow | null> {
  const r = await db.kysely.selectFrom('user_two_factor').select(['secret', 'enabled_at', 'last_step']).where('user_id', '=', userId).executeTakeFirst()
  return r ? { secret: r.secret, enabledAt: r.enabled_at, lastStep: Number(r.last_step) } : null
}

export async function twoFactorStatus(db: Db, userId: number, required: boolean): Promise<TwoFactorStatus> {
  const row = await twoFactorOf(db, userId)
  const left = await recoveryCodesLeft(db, userId)
  const enabled = row?.enabledAt != null
  return { enabled, required, enabledAt: enabled ? row.enabledAt : null, recoveryCodesLeft: enabled ? left : 0 }
}

/** A new key waiting for its first code (replacing an earlier unfinished one); an enabled key is never replaced here. */
export async function startEnrolment(db: Db, userId: number, secret: string, now: Date): Promise<void> {
  await db.kysely.insertInto('user_two_factor').values({ user_id: userId, secret, enabled_at: null, last_step: 0, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('user_id')
      .doUpdateSet({ secret: (eb) => eb.ref('excluded.secret'), last_step: 0, created_at: (eb) => eb.ref('excluded.created_at') })
      .where('user_two_factor.enabled_at', 'is', null))
    .execute()
}

/**
 * Turns on the key `secret` (the one the code was checked against), with the step of the code that
 * confirmed it, and sets the recovery codes. False, changing nothing, when that key is no longer the
 * one waiting (turned on by a request at the same time, or replaced by a new enrolment).
 */
export async function enableTwoFactor(db: Db, userId: number, secret: string, step: number, recoveryHashes: string[], now: Date): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const r = await trx.updateTable('user_two_factor').set({ enabled_at: now.toISOString(), last_step: step })
      .where('user_id', '=', userId).where('secret', '=', secret).where('enabled_at', 'is', null).executeTakeFirst()
    if (Number(r.numUpdatedRows) !== 1) return false
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
    if (recoveryHashes.length) await trx.insertInto('recovery_codes').values(recoveryHashes.map((h) => ({ user_id: userId, code_hash: h }))).execute()
    return true
  })
}

export async function replaceRecoveryCodes(db: Db, userId: number, hashes: string[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
    if (hashes.length) await trx.insertInto('recovery_codes').values(hashes.map((h) => ({ user_id: userId, code_hash: h }))).execute()
  })
}

/**
 * Records the step of an accepted code, so that the code cannot be used again: true when this call
 * took the step, false when it was taken already (a code sent twice at once, through one process or
 * two, is accepted only once). Callers accept the code only on true.
 */
export async function markStepUsed(db: Db, userId: number, step: number): Promise<boolean> {
  const r = await db.kysely.updateTable('user_two_factor').set({ last_step: step })
    .where('user_id', '=', userId).where('enabled_at', 'is not', null).where('last_step', '<', step).executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Uses up an unused recovery code; false when there is none with this hash. */
export async function useRecoveryCode(db: Db, userId: number, hash: string, now: Date): Promise<boolean> {
  const r = await db.kysely.updateTable('recovery_codes').set({ used_at: now.toISOString() })
    .where('id', '=', (eb) => eb.selectFrom('recovery_codes').select('id').where('user_id', '=', userId).where('code_hash', '=', hash).where('used_at', 'is', null).limit(1))
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function recoveryCodesLeft(db: Db, userId: number): Promise<number> {
  const r = await db.kysely.selectFrom('recovery_codes').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow()
  return Number(r.n)
}

/** Removes the second factor and its recovery codes (turned off by the user, or reset by an administrator). */
export async function removeTwoFactor(db: Db, userId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('user_two_factor').where('user_id', '=', userId).execute()
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
    await trx.deleteFrom('sign_in_challenges').where('user_id', '=', userId).execute()
  })
}

// ---- pending sign-ins (a right password waiting for its code) ----

export interface ChallengeRow {
  userId: number
  attempts: number
}

/** Starts a pending sign-in; an earlier one of the same user ends, and expired ones are dropped. */
export async function insertChallenge(db: Db, c: { tokenHash: string; userId: number; address: string; expiresAt: string }, now: Date): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('sign_in_challenges').where((eb) => eb.or([eb('user_id', '=', c.userId), eb('expires_at', '<=', now.toISOString())])).execute()
    await trx.insertInto('sign_in_challenges').values({
      token_hash: c.tokenHash, user_id: c.userId, created_at: now.toISOString(), expires_at: c.expiresAt, attempts: 0, address: c.address.slice(0, 100),
    }).execute()
  })
}

/** The live pending sign-in with this token hash. */
export async function liveChallenge(db: Db, tokenHash: string, now: Date): Promise<ChallengeRow | null> {
  const r = await db.kysely.selectFrom('sign_in_challenges').select(['user_id', 'attempts']).where('token_hash', '=', tokenHash).where('expires_at', '>', now.toISOString()).executeTakeFirst()
  return r ? { userId: r.user_id, attempts: Number(r.attempts) } : null
}

/** Counts a wrong code; returns the attempts made so far (one statement: counted once however many processes). */
export async function countChallengeAttempt(db: Db, tokenHash: string): Promise<number> {
  const r = await db.kysely.updateTable('sign_in_challenges').set({ attempts: sql`attempts + 1` }).where('token_hash', '=', tokenHash)
    .returning('attempts').executeTakeFirst()
  return Number(r?.attempts ?? 0)
}

export async function deleteChallenge(db: Db, tokenHash: string): Promise<void> {
  await db.kysely.deleteFrom('sign_in_challenges').where('token_hash', '=', tokenHash).execute()
}

/** Ends every session of a user but `keep` (an administrator resetting their own second factor stays signed in). */
export async function endSessionsOf(db: Db, userId: number, keep = ''): Promise<void> {
  await db.kysely.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', '<>', keep).execute()
}
