/**
 * The one form user text is kept in, whichever way it came (typed on screen, a form import, an API):
 * well-formed Unicode, every run of spaces, invisible separators and control characters folded to one
 * ordinary space, trimmed. A spreadsheet cell cannot hold control characters and people cannot see
 * the difference between two spaces and one, so text kept this way comes back from an export unchanged.
 */
const SPACES = /[\s\u0000-\u001f\u007f-\u009f\u00a0\u200b-\u200d\u2028\u2029\u3000\ufeff\ufffe\uffff]+/g

/** A surrogate half without its other half: not a character, and no file can store it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

export function canonicalText(raw: string): string {
  return raw.replace(LONE_SURROGATE, '\ufffd').replace(SPACES, ' ').trim()
}
