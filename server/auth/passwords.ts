import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { MIN_PASSWORD_LENGTH } from '../domain/access.js'
import { COMMON_PASSWORDS } from './common-passwords.js'

/**
 * scrypt (memory-hard, RFC 7914) from node:crypto: N = 2^15, r = 8 uses 32 MiB per hash and about
 * 0.1 s on one core, which makes guessing offline expensive. The parameters are stored with each
 * hash so they can be raised later without invalidating existing passwords. PASSWORD_HASH_COST
 * (log2 N, 14–20) raises N on faster machines. Under NODE_ENV=test it may be as low as 10: the test
 * suite hashes quickly, as nothing it checks depends on the cost.
 */
export function scryptCost(setting: string | undefined, testing = process.env.NODE_ENV === 'test'): number {
  if (setting === undefined || setting === '') return 15
  const log2 = Number(setting)
  const lowest = testing ? 10 : 14
  if (!Number.isInteger(log2) || log2 < lowest || log2 > 20) throw new Error(`PASSWORD_HASH_COST must be a whole number from ${lowest} to 20 (log2 of scrypt's N), not ${setting}`)
  return log2
}
const PARAMS = { N: 2 ** scryptCost(process.env.PASSWORD_HASH_COST), r: 8, p: 1 }
const KEY_LENGTH = 32

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))))
}

const maxmem = (n: number, r: number) => 256 * n * r

/** `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const { N, r, p } = PARAMS
  const key = await scryptAsync(password, salt, KEY_LENGTH, { N, r, p, maxmem: maxmem(N, r) })
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** Constant-time check of a password against a stored hash; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const N = Number(n), R = Number(r), P = Number(p)
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, { N, r: R, p: P, maxmem: maxmem(N, R) })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/** A hash of a random password, compared against when the account does not exist, so timing tells nothing. */
let dummyHash: Promise<string> | null = null
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(18).toString('base64url'))
  return dummyHash
}

/** Why a new password is not acceptable, in Chinese, or null when it is. */
export function passwordProblem(password: string, username: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `密码至少 ${MIN_PASSWORD_LENGTH} 个字符`
  if (password.length > 200) return '密码最多 200 个字符'
  const folded = password.normalize('NFKC').toLowerCase()
  if (COMMON_PASSWORDS.has(folded)) return '密码过于常见，容易被猜到，请换一个'
  if (/^(.)\1+$/.test(folded)) return '密码不能由同一个字符重复组成'
  if (isSequence(folded)) return '密码不能是连续的字符序列'
  const name = username.normalize('NFKC').toLowerCase()
  if (name && (folded.includes(name) || name.includes(folded))) return '密码不能包含用户名'
  return null
}

/** 12345678, abcdefgh, 87654321 … */
function isSequence(s: string): boolean {
  if (s.length < 2) return false
  const step = s.charCodeAt(1) - s.charCodeAt(0)
  if (Math.abs(step) !== 1) return false
  for (let i = 2; i < s.length; i++) if (s.charCodeAt(i) - s.charCodeAt(i - 1) !== step) return false
  return true
}

/** A random password for the first administrator: 18 characters from a set without look-alikes. */
export function randomPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'
  const bytes = randomBytes(18)
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('')
}
