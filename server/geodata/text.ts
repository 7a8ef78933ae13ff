import { GeodataFileError } from './limits.js'

/** The encoding asked for in the form: `auto` tries a .cpg, then UTF-8, then GBK. */
import type { EncodingChoice } from '../domain/geodata.js'
export type { EncodingChoice }

/** The encoding a shapefile's .cpg names, or null when it names none we read. */
export function encodingOfCpg(cpg: string): 'utf-8' | 'gbk' | null {
  const s = cpg.trim()
  if (/^(utf-?8|65001)$/i.test(s)) return 'utf-8'
  if (/^(gbk|cp ?936|936|gb2312|gb18030|ansi 936)$/i.test(s)) return 'gbk'
  return null
}

/** Whether bytes are valid UTF-8. */
function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

/** Picks the encoding of some text bytes: the one asked for, else the hint (.cpg), else UTF-8 when it decodes cleanly, else GBK. */
export function chooseEncoding(sample: Uint8Array, choice: EncodingChoice, hint: 'utf-8' | 'gbk' | null = null): 'utf-8' | 'gbk' {
  if (choice !== 'auto') return choice
  if (hint) return hint
  return isUtf8(sample) ? 'utf-8' : 'gbk'
}

/** Decodes text (a byte order mark dropped); GBK is read as GB18030, its superset. */
export function decode(bytes: Uint8Array, encoding: 'utf-8' | 'gbk'): string {
  const text = new TextDecoder(encoding === 'gbk' ? 'gb18030' : 'utf-8').decode(bytes)
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/** Refuses XML that declares a DOCTYPE or entities (XXE, billion laughs) before any parser sees it. */
export function assertSafeXml(text: string, what: string): void {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new GeodataFileError('unsafe_xml', `${what}包含 XML 实体或 DOCTYPE 声明，出于安全原因已拒绝`)
  }
}
