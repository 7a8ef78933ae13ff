import { createHash, randomBytes } from 'node:crypto'

/** Keys look like `csa_<43 base64url characters>`; the first 12 characters are kept to tell keys apart. */
export const KEY_PREFIX_LENGTH = 12

/** A new random API key (256 bits). */
export function generateApiKey(): string {
  return `csa_${randomBytes(32).toString('base64url')}`
}

/** The SHA-256 hex digest stored in place of the key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

/** The key from an `Authorization: Bearer <key>` header, or null when absent or malformed. */
export function bearerKey(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return m ? m[1]! : null
}
