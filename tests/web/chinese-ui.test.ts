import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'vitest'

/**
 * The UI is Chinese: every word a template shows (text, and the attributes people read: title,
 * placeholder, aria-label, alt, label) is Chinese, or a name that has no Chinese form (file formats,
 * products, protocols). Bound attributes and {{ … }} are code, not text, and are left out; so are
 * tokens that are addresses, file names or query strings (/api/…, .xlsx, domain=…).
 */

const WEB = fileURLToPath(new URL('../../web', import.meta.url))

/** Names shown as they are, compared case-insensitively. */
const ALLOWED = new Set([
  // file formats and data standards
  'csv', 'excel', 'xlsx', 'txt', 'geojson', 'kml', 'kmz', 'shapefile', 'wkt', 'wgs', 'pmtiles', 'mbtiles', 'png', 'jpeg', 'webp',
  'json', 'json-ld', 'dcat', 'ckan', 'ogc', 'wfs', 'api', 'xyz', 'lec', 'totp', 'otpauth', 'http', 'https', 'post', 'url',
  // a command (pmtiles convert)
  'convert',
  // products people install or already use
  'qgis', 'gdal', 'arcgis', 'pro', 'microsoft', 'authenticator', 'google', 'freeotp', 'protomaps', 'wps',
])

/** Files whose English is known and waits for its owner: none now, and none may be added. */
const KNOWN: Record<string, string[]> = {}

function vueFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (name === 'node_modules') continue
    if (statSync(path).isDirectory()) vueFiles(path, out)
    else if (name.endsWith('.vue')) out.push(path)
  }
  return out
}

/** The template's text nodes and readable static attributes, in document order. */
export function shownTexts(template: string): string[] {
  const texts: string[] = []
  const src = template.replace(/<!--[\s\S]*?-->/g, '')
  let i = 0
  let text = ''
  const flush = () => {
    const t = text.replace(/\{\{[\s\S]*?\}\}/g, ' ').trim()
    if (t) texts.push(t)
    text = ''
  }
  while (i < src.length) {
    if (src[i] === '{' && src[i + 1] === '{') {
      const end = src.indexOf('}}', i + 2)
      text += src.slice(i, end + 2)
      i = end + 2
    } else if (src[i] === '<' && /[A-Za-z/!]/.test(src[i + 1] ?? '')) {
      flush()
      // A tag: up to the '>' outside quotes (bound attributes hold '>' and '=>').
      let j = i + 1
      let quote: string | null = null
      for (; j < src.length; j++) {
        const c = src[j]!
        if (quote) { if (c === quote) quote = null } else if (c === '"' || c === "'") quote = c
        else if (c === '>') break
      }
      const tag = src.slice(i, j + 1)
      for (const m of tag.matchAll(/\s(title|placeholder|aria-label|alt|label|hint|empty-text)="([^"]*)"/g)) texts.push(m[2]!)
      i = j + 1
    } else {
      text += src[i]
      i++
    }
  }
  flush()
  return texts
}

/** The English words of a shown text that are not allowed names. */
export function englishWords(text: string): string[] {
  const words = text
    .split(/[^A-Za-z0-9'/=.@_-]+/)
    // Addresses, file names, query strings and codes (ABCDE-FGH23, WGS84) are not prose.
    .filter((token) => !/[/=.@_0-9]|^-/.test(token))
    .join(' ')
    .match(/[A-Za-z][A-Za-z'-]{2,}/g) ?? []
  return words.filter((w) => !ALLOWED.has(w.toLowerCase()))
}

test('no English words in the templates people read', () => {
  const found: string[] = []
  for (const file of vueFiles(WEB)) {
    const src = readFileSync(file, 'utf8')
    const start = src.indexOf('<template>')
    const end = src.lastIndexOf('</template>')
    if (start < 0 || end < 0) continue
    const name = relative(WEB, file)
    const known = new Set(KNOWN[name] ?? [])
    for (const text of shownTexts(src.slice(start + '<template>'.length, end))) {
      const words = englishWords(text).filter((w) => !known.has(w.toLowerCase()))
      if (words.length) found.push(`${name}: ${words.join(' ')} — “${text.slice(0, 80)}”`)
    }
  }
  assert.deepEqual(found, [])
})

test('the scanner sees text and readable attributes, not code', () => {
  const texts = shownTexts(`<div :class="{ a: x > 1 }" title="Hello there"><span v-if="n >= 2">共 {{ n > 1 ? 'many' : 'one' }} 个</span>Loading…</div>`)
  assert.deepEqual(texts, ['Hello there', '共   个', 'Loading…'])
  assert.deepEqual(englishWords('Loading… 请上传 .xlsx 或 CSV；POST /api/ingest/updates；如：domain=lifeline；形如 ABCDE-FGH23'), ['Loading'])
})
