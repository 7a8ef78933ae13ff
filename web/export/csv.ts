/**
 * CSV export of what the analyst filtered. Cells are neutralised against formula injection
 * (OWASP: a cell starting with = + - @ or a tab/CR is run as a formula by Excel and WPS).
 */
import { neutraliseFormula } from '../../server/domain/spreadsheet.js'

export interface CsvColumn<T> {
  header: string
  value: (row: T) => string | number | boolean | null | undefined
}

/** One cell, quoted when needed, with a leading apostrophe when it would start a formula. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value == null) return ''
  let text = String(value)
  // Numbers are data, not formulas: a negative number stays a number.
  if (typeof value !== 'number') text = neutraliseFormula(text)
  if (/[",\r\n]/.test(text) || text !== text.trim()) text = `"${text.replace(/"/g, '""')}"`
  return text
}

/** The whole table as CSV text with CRLF line ends (RFC 4180). */
export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')]
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.value(row))).join(','))
  return lines.join('\r\n') + '\r\n'
}

/** A UTF-8 BOM makes Excel read Chinese text in a CSV correctly. */
export const CSV_BOM = '\uFEFF'
