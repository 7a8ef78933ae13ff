/**
 * Spreadsheet cell safety, shared by every export (CSV in the browser, xlsx on the server).
 * OWASP "CSV injection": a text cell starting with = + - @ (or tab / CR) is run as a formula by Excel
 * and WPS when a user opens or edits it. Such text is written with a leading apostrophe, which both
 * programs show as text; imports strip that apostrophe again so a round trip changes nothing.
 * Text that itself starts with apostrophes before such a character ('=x) gets one more, so that
 * stripping one on import gives it back exactly: restoreNeutralised(neutraliseFormula(t)) === t for all t.
 */
const QUOTED_FORMULA_START = /^'*[=+\-@\t\r]/

/** Text as it must be written into a cell so that no spreadsheet runs it as a formula. */
export function neutraliseFormula(text: string): string {
  return QUOTED_FORMULA_START.test(text) ? `'${text}` : text
}

/** Undoes neutraliseFormula on text read back from a cell. */
export function restoreNeutralised(text: string): string {
  return text.length > 1 && text[0] === "'" && QUOTED_FORMULA_START.test(text.slice(1)) ? text.slice(1) : text
}

/** Column letters of a 1-based column number, as spreadsheets name columns (1 → A, 27 → AA). */
export function columnLetter(column: number): string {
  let s = ''
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return s
}
