/**
 * CSV with a header row: UTF-8 (with or without BOM) or GBK, comma, semicolon or tab separated.
 * Each row is a feature; its geometry is built later from the mapped longitude/latitude or WKT
 * columns (see plan.ts), so the reader only yields the cells.
 */
import { parse } from 'csv-parse/sync'
import { GeodataFileError, assertColumnCount, assertFeatureCount } from '../limits.js'
import type { AttributeValue, SourceFile } from '../model.js'
import { chooseEncoding, decode, type EncodingChoice } from '../text.js'

/** A cell as an attribute: numbers written plainly (no leading zeros, which mark codes) become numbers. */
function cellValue(s: string): AttributeValue {
  const t = s.trim()
  if (t === '') return null
  if (/^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(t)) return Number(t)
  return t
}

function delimiterOf(firstLine: string): string {
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const)
  return counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0]
}

/** Reads a CSV file's rows; throws GeodataFileError when it is not readable as CSV. */
export function readCsv(bytes: Buffer, encodingChoice: EncodingChoice): SourceFile {
  if (bytes.includes(0)) throw new GeodataFileError('not_csv', '文件不是文本格式的 CSV')
  const encoding = chooseEncoding(bytes, encodingChoice)
  const text = decode(bytes, encoding)
  const firstLine = text.slice(0, text.search(/\r?\n|$/))
  let rows: string[][]
  try {
    rows = parse(text, { delimiter: delimiterOf(firstLine), relax_column_count: true, skip_empty_lines: true, relax_quotes: true, to: 100_002 }) as string[][]
  } catch (err) {
    throw new GeodataFileError('not_csv', `CSV 文件格式有误：${err instanceof Error ? err.message : String(err)}`)
  }
  const header = rows[0]
  if (!header) throw new GeodataFileError('not_csv', 'CSV 文件为空：第一行应为列名')
  assertColumnCount(header.length)
  const seen = new Set<string>()
  const columns = header.map((h, i) => {
    let name = h.trim() || `列${i + 1}`
    while (seen.has(name)) name = `${name}_${i + 1}`
    seen.add(name)
    return name
  })
  const body = rows.slice(1)
  assertFeatureCount(body.length)
  const features = body.map((row) => {
    const attributes: Record<string, AttributeValue> = {}
    columns.forEach((c, i) => { attributes[c] = cellValue(row[i] ?? '') })
    return { geometry: null, attributes }
  })
  return { format: 'csv', features, columns, prj: null, encoding, warnings: [] }
}
