/**
 * Reading values the way people really type them into the survey forms: full-width characters,
 * stray and ideographic spaces, the checkbox style "☑政务云 □本单位", several choices in one cell,
 * dates typed as text or stored as Excel dates. Pure functions; every failure is a Chinese message.
 */
import type { EnumEntry } from '../domain/enums.js'
import { restoreNeutralised } from '../domain/spreadsheet.js'
import { canonicalText } from '../domain/text.js'

/** Outcome of reading one cell: a value, or a message saying what is wrong with it. */
export type Read<T> = { ok: true; value: T } | { ok: false; message: string }

const ok = <T>(value: T): Read<T> => ({ ok: true, value })
const fail = (message: string): Read<never> => ({ ok: false, message })

/** Trims, turns every kind of space run into one ordinary space, and undoes formula neutralising. */
export function cleanText(raw: string | null | undefined): string {
  if (raw == null) return ''
  return restoreNeutralised(canonicalText(raw))
}

/**
 * The key two names are compared by: full-width folded to half-width (NFKC), all spaces removed,
 * Latin case folded. 联系电话 and 联系方式 stay different: only the form of characters is folded.
 */
export function nameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').toLowerCase()
}

/** Quotes a value for a message, shortened so one bad cell cannot flood the error list. */
export function quote(value: string): string {
  return `「${value.length > 40 ? `${value.slice(0, 40)}…` : value}」`
}

function choicesOf(entries: readonly EnumEntry[]): string {
  return entries.map((e) => e.label).join('、')
}

/** Finds an enumeration entry by its Chinese label (or code), folding width and spaces. */
function matchEnum<T extends EnumEntry>(entries: readonly T[], text: string): T | undefined {
  const key = nameKey(text)
  return entries.find((e) => nameKey(e.label) === key || e.code.toLowerCase() === key)
}

const TICKED = /[☑☒✓✔√■▣]/
const UNTICKED = /[□☐▢]/
const SEPARATORS = /[、,，;；/／|｜\s]+/

/**
 * Splits a cell into the values it names. Checkbox style keeps only ticked options
 * ("☑政务云 □本单位" → 政务云); plain style splits on 、 , ; / and spaces.
 */
export function splitChoices(text: string): string[] {
  if (TICKED.test(text) || UNTICKED.test(text)) {
    const picked: string[] = []
    const re = /([☑☒✓✔√■▣□☐▢])\s*([^☑☒✓✔√■▣□☐▢、,，;；/／|｜\s]+)/g
    for (const m of text.matchAll(re)) if (TICKED.test(m[1]!)) picked.push(m[2]!)
    return picked
  }
  return text.split(SEPARATORS).filter((s) => s !== '')
}

/** One value from an enumeration (a drop-down or a checkbox group where one box is ticked). */
export function readEnum<T extends EnumEntry>(entries: readonly T[], raw: string): Read<T['code']> {
  const parts = splitChoices(raw)
  if (parts.length === 0) {
    return /[□☐▢]/.test(raw) ? fail(`未勾选任何选项（可选：${choicesOf(entries)}）`) : fail(`缺少必填项`)
  }
  if (parts.length > 1) {
    const whole = matchEnum(entries, raw)
    if (whole) return ok(whole.code)
    return fail(`只能选择一项，却填了${parts.map(quote).join('、')}（可选：${choicesOf(entries)}）`)
  }
  const hit = matchEnum(entries, parts[0]!)
  return hit ? ok(hit.code) : fail(`${quote(parts[0]!)}不在可选范围内（可选：${choicesOf(entries)}）`)
}

/** Several values from an enumeration, in the enumeration's order, without repeats. */
export function readEnumSet<T extends EnumEntry>(entries: readonly T[], raw: string): Read<T['code'][]> {
  const parts = splitChoices(raw)
  const codes = new Set<string>()
  for (const part of parts) {
    const hit = matchEnum(entries, part)
    if (!hit) return fail(`${quote(part)}不在可选范围内（可选：${choicesOf(entries)}，可多选）`)
    codes.add(hit.code)
  }
  return ok(entries.filter((e) => codes.has(e.code)).map((e) => e.code))
}

/** 是/否, also from checkboxes, Y/N and true/false. */
export function readYesNo(raw: string): Read<boolean> {
  const parts = splitChoices(raw)
  if (parts.length !== 1) return parts.length === 0 ? fail('缺少必填项') : fail(`只能选择「是」或「否」其中一项`)
  const key = nameKey(parts[0]!)
  if (['是', 'y', 'yes', 'true', '1', '有'].includes(key)) return ok(true)
  if (['否', 'n', 'no', 'false', '0', '无'].includes(key)) return ok(false)
  return fail(`${quote(parts[0]!)}不是「是」或「否」`)
}

/** A data length: a positive whole number, also typed full-width ("２０") or with a unit ("20位"). */
export function readPositiveInt(raw: string | number): Read<number> {
  if (typeof raw === 'number') {
    return Number.isInteger(raw) && raw > 0 && raw <= 1_000_000_000 ? ok(raw) : fail(`${quote(String(raw))}不是正整数`)
  }
  const text = raw.normalize('NFKC').replace(/\s+/g, '').replace(/(位|字节|字符|个字符|bytes?|chars?)$/i, '')
  if (!/^\+?\d{1,10}(\.0+)?$/.test(text)) return fail(`${quote(raw)}不是正整数`)
  const n = Number.parseInt(text.replace(/^\+/, ''), 10)
  return n > 0 && n <= 1_000_000_000 ? ok(n) : fail(`${quote(raw)}不是正整数`)
}

/** A telephone number as people write it: landline with area code, mobile, extension; 6–20 digits. */
export function readPhone(raw: string): Read<string> {
  const text = raw.normalize('NFKC').trim()
  const digits = text.replace(/\D/g, '')
  if (!/^[\d\s\-+()（）转#,，;；/]+$/.test(text) || digits.length < 6 || digits.length > 20) {
    return fail(`${quote(raw)}不是有效的电话号码`)
  }
  return ok(text)
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30)

/**
 * A date, from a JS Date (an Excel date cell), an Excel serial number, or text such as 2022-03-20,
 * 2022/3/20, 2022.3.20 or 2022年3月20日. Returned as YYYY-MM-DD.
 */
export function readDate(raw: Date | number | string): Read<string> {
  if (raw instanceof Date) {
    return Number.isNaN(raw.getTime()) ? fail('不是有效的日期') : ok(raw.toISOString().slice(0, 10))
  }
  if (typeof raw === 'number') {
    if (raw < 1 || raw > 2_958_465) return fail(`${quote(String(raw))}不是有效的日期`)
    return ok(new Date(EXCEL_EPOCH_MS + Math.floor(raw) * 86_400_000).toISOString().slice(0, 10))
  }
  const text = raw.normalize('NFKC').replace(/\s+/g, '')
  if (/^\d{5}(\.\d+)?$/.test(text)) return readDate(Number(text))
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:T.*|\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text)
  if (!m) return fail(`${quote(raw)}无法识别为日期（示例：2022-03-20）`)
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || y < 1990 || y > 2100) {
    return fail(`${quote(raw)}不是有效的日期`)
  }
  return ok(date.toISOString().slice(0, 10))
}

/**
 * The date a stored time stands for on a form: a full timestamp is read in Asia/Shanghai (UTC+8, no
 * daylight saving), a bare date stays as it is.
 */
export function formDate(stored: string | null): string {
  if (!stored) return ''
  if (!stored.includes('T')) return stored
  const t = Date.parse(stored)
  return Number.isNaN(t) ? stored : new Date(t + 8 * 3_600_000).toISOString().slice(0, 10)
}
