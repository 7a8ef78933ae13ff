/**
 * How deeply a JSON or XML text nests, found by one pass over its characters before any parser or
 * recursive walker sees it. A small file of brackets or tags nested a million deep costs a parser
 * memory for every level and overflows the stack of a recursive walker; nothing the product reads
 * nests more than a few dozen levels, so deeper text is refused by its depth alone.
 */

/** The offset at which `text` (JSON) first nests deeper than `limit` arrays and objects, or -1. */
export function jsonTooDeepAt(text: string, limit: number): number {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: the next character is escaped
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 91 || c === 123) { if (++depth > limit) return i } // [ {
    else if (c === 93 || c === 125) depth-- // ] }
  }
  return -1
}

/** The offset at which `text` (XML) first nests deeper than `limit` elements, or -1. */
export function xmlTooDeepAt(text: string, limit: number): number {
  let depth = 0
  let i = text.indexOf('<')
  while (i !== -1 && i < text.length) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4)
      i = end === -1 ? -1 : text.indexOf('<', end + 3)
      continue
    }
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9)
      i = end === -1 ? -1 : text.indexOf('<', end + 3)
      continue
    }
    const next = text.charCodeAt(i + 1)
    // The end of this tag, skipping quoted attribute values (they may hold '>').
    let j = i + 1
    let quote = 0
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j)
      if (quote) { if (c === quote) quote = 0 } else if (c === 34 || c === 39) quote = c
      else if (c === 62) break // >
    }
    if (next === 47) depth-- // </…>
    else if (next !== 33 && next !== 63 && text.charCodeAt(j - 1) !== 47) { // not <!…>, <?…?> or <…/>
      if (++depth > limit) return i
    }
    i = text.indexOf('<', j + 1)
  }
  return -1
}
