/**
 * KML 2.2 and KMZ (a zip holding a .kml). Placemarks become features (via @tmcw/togeojson on an
 * @xmldom/xmldom document); their name and ExtendedData become attribute columns. XML that declares
 * a DOCTYPE or entities is refused before parsing.
 */
import { kml } from '@tmcw/togeojson'
import { DOMParser } from '@xmldom/xmldom'
import { inflateZipEntry, readZipDirectory, assertZipTotals } from '../../http/zip.js'
import { GEODATA_LIMITS, GeodataFileError, VertexBudget, assertColumnCount, assertFeatureCount, assertXmlDepth, zipStep } from '../limits.js'
import type { AttributeValue, SourceFeature, SourceFile, SourceGeometry } from '../model.js'
import { assertSafeXml, decode } from '../text.js'
import { attributeValue, geometryVertices } from './geojson.js'

/** Styling that togeojson copies into properties: not data, so not offered as columns. */
const STYLE_KEYS = /^(styleUrl|styleHash|styleMapHash|stroke|stroke-opacity|stroke-width|fill|fill-opacity|icon|icon-.*|label-.*|visibility|timespan|timestamp)$/

/** Reads KML text; throws GeodataFileError when it is not KML. */
export function readKmlText(text: string, format: 'kml' | 'kmz'): SourceFile {
  assertSafeXml(text, 'KML 文件')
  assertXmlDepth(text)
  let doc
  try {
    doc = new DOMParser({ onError: (level, msg) => { if (level !== 'warning') throw new Error(msg) } }).parseFromString(text, 'text/xml')
  } catch {
    throw new GeodataFileError('not_kml', 'KML 文件不是格式正确的 XML，无法读取')
  }
  if (!doc.documentElement || doc.documentElement.localName !== 'kml') throw new GeodataFileError('not_kml', '文件不是 KML：根元素应为 <kml>')
  const collection = kml(doc)
  assertFeatureCount(collection.features.length)
  const columns = new Set<string>()
  const budget = new VertexBudget()
  const features: SourceFeature[] = collection.features.map((f, i) => {
    const attributes: Record<string, AttributeValue> = {}
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      if (STYLE_KEYS.test(k)) continue
      columns.add(k)
      attributes[k] = attributeValue(v)
    }
    if (columns.size > GEODATA_LIMITS.maxColumns) assertColumnCount(columns.size)
    const g = f.geometry as SourceGeometry | null
    if (!g) return { geometry: null, geometryProblem: '几何为空', attributes }
    budget.add(geometryVertices(g), i + 1)
    return { geometry: g, attributes }
  })
  return { format, features, columns: [...columns], prj: null, encoding: null, warnings: [] }
}

/** Reads a KMZ: its doc.kml, or else its first .kml. */
export function readKmz(bytes: Buffer): SourceFile {
  const entries = zipStep(() => readZipDirectory(bytes, { maxEntries: GEODATA_LIMITS.maxZipEntries }))
  zipStep(() => assertZipTotals(entries, GEODATA_LIMITS))
  const kmls = entries.filter((e) => /\.kml$/i.test(e.name) && !e.name.startsWith('__MACOSX/'))
  const entry = kmls.find((e) => /(^|\/)doc\.kml$/i.test(e.name)) ?? kmls[0]
  if (!entry) throw new GeodataFileError('no_kml', 'KMZ 压缩包中没有 .kml 文件')
  return readKmlText(decode(zipStep(() => inflateZipEntry(bytes, entry)), 'utf-8'), 'kmz')
}
