import { createHash, randomInt } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'
import { RECOVERY_CODE_COUNT } from '../domain/access.js'

/**
 * The second factor: time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30 s, what every
 * authenticator app speaks) through the otpauth library, and one-time recovery codes.
 */

/** The name authenticator apps show above the code. */
const TOTP_ISSUER = '城市安全数据资源一张图'
const PERIOD = 30

function totpOf(secret: string, username: string): TOTP {
  return new TOTP({ issuer: TOTP_ISSUER, label: username, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) })
}

/** A new random key (160 bits, the size RFC 4226 recommends), in Base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, username: string): string {
  return totpOf(secret, username).toString()
}

/**
 * The QR code of a URI as an SVG data URL, made here (no script, no outside service). Error
 * correction L keeps it coarse: the URI is long (the issuer's Chinese name is percent-encoded twice),
 * and it is read from a screen, not from print.
 */
export async function qrCodeDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'L', margin: 2 })
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`
}

/** The code for a moment (tests and measurement scripts sign in with it). */
export function totpCode(secret: string, at: Date): string {
  return totpOf(secret, '').generate({ timestamp: at.getTime() })
}

/**
 * The time step a code is valid for, allowing one step of clock drift either way, or null. Steps at
 * or before `usedStep` are refused, so each code works once (RFC 6238 §5.2).
 */
export function acceptedStep(secret: string, code: string, at: Date, usedStep: number): number | null {
  if (!/^\d{6}$/.test(code)) return null
  const totp = totpOf(secret, '')
  const delta = totp.validate({ token: code, timestamp: at.getTime(), window: 1 })
  if (delta === null) return null
  const step = totp.counter({ timestamp: at.getTime() }) + delta
  return step > usedStep ? step : null
}

/** What a user typed as a code: six digits for the authenticator, else a recovery code. */
export function codeKind(code: string): 'totp' | 'recovery' {
  return /^\d{6}$/.test(code.replace(/\s/g, '')) ? 'totp' : 'recovery'
}

// Recovery codes: 10 characters from an alphabet without look-alikes (about 50 bits), shown as XXXXX-XXXXX.
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('')
    return `${chars.slice(0, 5)}-${chars.slice(5)}`
  })
}

/**
 * The stored form of a recovery code: SHA-256 of the code without spaces and dashes, upper case. The
 * codes are long and random, so a fast hash suffices (as for access tokens); sign-in attempts are
 * limited and count toward the lockout.
 */
export function recoveryCodeHash(code: string): string {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase(), 'utf8').digest('hex')
}
