/**
 * A bounded reader of uploaded zip files (xlsx workbooks, zipped shapefiles, KMZ). It reads the central
 * directory and inflates each entry with a hard output cap, so memory stays bounded by the caller's
 * limits whatever the file claims: a hostile zip can lie about sizes (zip bomb), hold thousands of
 * entries, or use ZIP64 to hide its sizes. Refusals are ZipError with a kind; each caller words them.
 */
import { inflateRawSync } from 'node:zlib'

export interface ZipLimits {
  maxEntries: number
  /** Sum of all entries, inflated, as declared (each entry is also held to its declared size). */
  maxUncompressedBytes: number
  /** Inflated / compressed, over the whole file; applied once the declared total exceeds 1 MB. */
  maxRatio: number
}

export interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  uncompressedSize: number
  localHeaderOffset: number
}

export type ZipProblem =
  | { kind: 'not_zip' }
  | { kind: 'no_directory' }
  | { kind: 'zip64' }
  | { kind: 'too_many_entries'; count: number; limit: number }
  | { kind: 'truncated_directory' }
  | { kind: 'unreadable_entry'; entry: string }
  | { kind: 'unsupported_method'; entry: string }
  | { kind: 'inflated_past_declared'; entry: string }
  | { kind: 'inflate_failed'; entry: string }
  | { kind: 'total_too_large'; declared: number; limit: number }
  | { kind: 'ratio'; ratio: number }

/** A zip refused by the reader; `problem` says why, for the caller to word for its users. */
export class ZipError extends Error {
  constructor(readonly problem: ZipProblem) {
    super(`zip refused: ${problem.kind}`)
    this.name = 'ZipError'
  }
}

/** Whether the bytes start like a zip file (a local file header). */
export function looksLikeZip(buf: Buffer): boolean {
  return buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50
}

/** Reads the central directory; refuses non-zips, ZIP64, too many entries and truncated directories. */
export function readZipDirectory(buf: Buffer, limits: Pick<ZipLimits, 'maxEntries'>): ZipEntry[] {
  if (buf.length < 22 || !looksLikeZip(buf)) throw new ZipError({ kind: 'not_zip' })
  // End of central directory: the last 22 bytes plus a comment of at most 65,535 bytes.
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break }
  }
  if (eocd < 0) throw new ZipError({ kind: 'no_directory' })
  const count = buf.readUInt16LE(eocd + 10)
  const cdOffset = buf.readUInt32LE(eocd + 16)
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError({ kind: 'zip64' })
  if (count > limits.maxEntries) throw new ZipError({ kind: 'too_many_entries', count, limit: limits.maxEntries })
  const entries: ZipEntry[] = []
  let p = cdOffset
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new ZipError({ kind: 'truncated_directory' })
    const nameLength = buf.readUInt16LE(p + 28)
    const extraLength = buf.readUInt16LE(p + 30)
    const commentLength = buf.readUInt16LE(p + 32)
    entries.push({
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localHeaderOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLength),
    })
    p += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

/** Refuses a zip whose declared total or compression ratio is beyond the limits (before inflating anything). */
export function assertZipTotals(entries: ZipEntry[], limits: Pick<ZipLimits, 'maxUncompressedBytes' | 'maxRatio'>): void {
  const declared = entries.reduce((s, e) => s + e.uncompressedSize, 0)
  const compressed = entries.reduce((s, e) => s + e.compressedSize, 0)
  if (declared > limits.maxUncompressedBytes) throw new ZipError({ kind: 'total_too_large', declared, limit: limits.maxUncompressedBytes })
  if (compressed > 0 && declared / compressed > limits.maxRatio && declared > 1024 * 1024) {
    throw new ZipError({ kind: 'ratio', ratio: Math.round(declared / compressed) })
  }
}

/** Inflates one entry, never past its declared size (a bomb that lies about its size stops one byte past it). */
export function inflateZipEntry(buf: Buffer, e: ZipEntry): Buffer {
  const h = e.localHeaderOffset
  if (h + 30 > buf.length || buf.readUInt32LE(h) !== 0x04034b50) throw new ZipError({ kind: 'unreadable_entry', entry: e.name })
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28)
  const data = buf.subarray(start, start + e.compressedSize)
  if (e.method === 0) return data
  if (e.method !== 8) throw new ZipError({ kind: 'unsupported_method', entry: e.name })
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ERR_BUFFER_TOO_LARGE' || (err instanceof RangeError)) throw new ZipError({ kind: 'inflated_past_declared', entry: e.name })
    throw new ZipError({ kind: 'inflate_failed', entry: e.name })
  }
}
