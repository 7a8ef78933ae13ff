/**
 * Reading and checking a spatial file, with no database: its format and coordinate system, every
 * feature checked, the preview's map and counts. This is the work that grows with the file, so it
 * runs in a worker thread (read-worker.ts, started by plan.ts), never on the server's event loop.
 */
import { looksLikeZip, readZipDirectory } from '../http/zip.js'
import type { Bbox } from '../geo/geometry.js'
import { bboxOf } from '../geo/geometry.js'
import type { FeatureKind } from '../domain/enums.js'
import type { GeodataPreview, GeodataPreviewFeature } from '../domain/geodata.js'
import { resolveCrs } from './crs.js'
import { readCsv } from './formats/csv.js'
import { readGeojson } from './formats/geojson.js'
import { readKmlText, readKmz } from './formats/kml.js'
import { readShapefileZip } from './formats/shapefile.js'
import { GEODATA_LIMITS, GeodataFileError, zipStep } from './limits.js'
import type { GeodataFormat, SourceFile } from './model.js'
import { decode, type EncodingChoice } from './text.js'
import { checkFeature, describeColumns, resolveMapping, type ImportFeature, type MappingInput, type Problem } from './validate.js'
import type { CrsChoice } from '../domain/geodata.js'

export interface GeodataOptions { crs: CrsChoice; mapping: MappingInput; encoding: EncodingChoice }
export interface UploadedFile { name: string; bytes: Buffer }

/** A checked file: the preview less what depends on the resource's features as they stand. */
export type CheckedFile = Omit<GeodataPreview, 'resourceId' | 'existingFeatures' | 'planHash'> & {
  /** The features to write: only when the file has no problems and they were asked for. */
  features: ImportFeature[]
}

/** Which reader a file needs, from its content first (zip magic, `<kml`, JSON), then its extension. */
function detectFormat(file: UploadedFile): GeodataFormat {
  const { bytes, name } = file
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? ''
  if (looksLikeZip(bytes)) {
    if (ext === 'kmz') return 'kmz'
    const entries = zipStep(() => readZipDirectory(bytes, { maxEntries: GEODATA_LIMITS.maxZipEntries }))
    const hasShp = entries.some((e) => /\.shp$/i.test(e.name))
    return !hasShp && entries.some((e) => /\.kml$/i.test(e.name)) ? 'kmz' : 'shapefile'
  }
  if (['zip', 'kmz', 'shp'].includes(ext)) {
    throw new GeodataFileError(ext === 'shp' ? 'not_zip' : 'corrupt_zip', ext === 'shp' ? '请将 .shp、.shx、.dbf、.prj 一起压缩为 .zip 后上传' : '文件不是有效的 zip 压缩包')
  }
  const head = decode(bytes.subarray(0, 4096), 'utf-8').replace(/^\s+/, '')
  if (/<kml[\s>]/i.test(head) || (ext === 'kml' && head.startsWith('<'))) return 'kml'
  if (head.startsWith('{') || head.startsWith('[')) return 'geojson'
  if (ext === 'csv' || ext === 'txt') return 'csv'
  if (['json', 'geojson'].includes(ext)) return 'geojson'
  if (head.startsWith('<')) throw new GeodataFileError('unsupported_format', '文件是 XML 但不是 KML（根元素应为 <kml>）')
  throw new GeodataFileError('unsupported_format', `不支持的文件类型「${name}」：请上传 GeoJSON、CSV、KML、KMZ 或压缩的 shapefile（.zip）`)
}

function readFile(file: UploadedFile, format: GeodataFormat, encoding: EncodingChoice): SourceFile {
  switch (format) {
    case 'geojson': return readGeojson(file.bytes)
    case 'csv': return readCsv(file.bytes, encoding)
    case 'kml': return readKmlText(decode(file.bytes, 'utf-8'), 'kml')
    case 'kmz': return readKmz(file.bytes)
    case 'shapefile': return readShapefileZip(file.bytes, encoding)
  }
}

/**
 * Reads and checks a file. `commonKind`: the kind most of the resource's features have (a mapping
 * default); `withFeatures`: whether to keep the features to write (an import) or only the preview.
 */
export function checkFile(file: UploadedFile, o: GeodataOptions, commonKind: FeatureKind | null, withFeatures: boolean): CheckedFile {
  const format = detectFormat(file)
  const source = readFile(file, format, o.encoding)
  const crs = resolveCrs(o.crs, source.prj, source.crsName)
  const columns = describeColumns(source)
  const mapping = resolveMapping(o.mapping, source, columns, commonKind)
  const problems: Problem[] = []
  if (!mapping.kind && !mapping.kindFixed) {
    problems.push({ feature: 0, field: 'kind', message: '文件没有要素类型列，资源也还没有要素：请选择要导入的要素类型' })
  }
  const features: ImportFeature[] = []
  const geometryTypes: Record<string, number> = {}
  const previewFeatures: GeodataPreviewFeature[] = []
  let bounds: Bbox | null = null
  source.features.forEach((f, i) => {
    const n = i + 1
    const checked = checkFeature(f, n, mapping, crs)
    for (const p of checked.problems) problems.push(p)
    if (checked.sourceType) geometryTypes[checked.sourceType] = (geometryTypes[checked.sourceType] ?? 0) + 1
    // Bounds include features with coordinate problems: a swapped or far-off feature shows on the map.
    if (checked.geometry) {
      const b = bboxOf(checked.geometry)
      bounds = bounds ? [Math.min(bounds[0], b[0]), Math.min(bounds[1], b[1]), Math.max(bounds[2], b[2]), Math.max(bounds[3], b[3])] : b
    }
    if (checked.feature) {
      if (withFeatures) features.push(checked.feature)
      if (previewFeatures.length < GEODATA_LIMITS.maxPreviewFeatures) {
        const { name, kind, riskLevel, geometry } = checked.feature
        previewFeatures.push({ type: 'Feature', geometry, properties: { n, name, kind, riskLevel } })
      }
    }
  })
  if (source.features.length === 0) problems.push({ feature: 0, field: 'file', message: '文件中没有要素' })
  return {
    fileName: file.name,
    format,
    crs: { requested: crs.requested, used: crs.used, label: crs.label, fromPrj: crs.fromPrj },
    encoding: source.encoding,
    featureCount: source.features.length,
    geometryTypes,
    bounds,
    columns,
    mapping,
    problems: problems.slice(0, GEODATA_LIMITS.maxProblemsListed),
    problemCount: problems.length,
    warnings: [...source.warnings, ...crs.warnings],
    preview: { type: 'FeatureCollection', features: previewFeatures },
    features: problems.length === 0 ? features : [],
  }
}
