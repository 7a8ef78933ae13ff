/**
 * Pure helpers of the geodata import dialog: the choices it offers, the file check before upload,
 * the texts a user reads, and the MapLibre layers of the preview map (a pure style function).
 */
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl'
import { FEATURE_KINDS, RISK_LEVELS } from '../../../server/domain/enums.js'
import type { GeodataCrs, GeodataEncoding, GeodataFormat, GeodataImportResult, GeodataMapping, GeodataPreview } from '../../api/geodata.js'
import { PALETTES } from '../../map/map-theme.js'
import type { MapTheme } from '../../map/map-theme.js'

/** The coordinate systems a user may declare, in the order of the select. */
export const CRS_OPTIONS: readonly { code: GeodataCrs; label: string }[] = [
  { code: 'auto', label: '自动识别' },
  { code: 'wgs84', label: 'WGS84' },
  { code: 'cgcs2000', label: 'CGCS2000' },
  { code: 'gcj02', label: 'GCJ-02（高德、腾讯）' },
  { code: 'bd09', label: 'BD-09（百度）' },
]

export const ENCODING_OPTIONS: readonly { code: GeodataEncoding; label: string }[] = [
  { code: 'auto', label: '自动识别' },
  { code: 'utf-8', label: 'UTF-8' },
  { code: 'gbk', label: 'GBK' },
]

export const FORMAT_LABELS: Readonly<Record<GeodataFormat, string>> = {
  geojson: 'GeoJSON',
  csv: 'CSV',
  kml: 'KML',
  kmz: 'KMZ',
  shapefile: 'Shapefile（zip）',
}

/** The file picker's filter; the server detects the format from the content anyway. */
export const ACCEPT = '.geojson,.json,.csv,.kml,.kmz,.zip'
/** The server refuses more (413); checking first saves uploading 20 MB for nothing. */
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024

/** A reason not to upload this file at all, or null. */
export function fileProblem(name: string, size: number): string | null {
  if (!/\.(geojson|json|csv|kml|kmz|zip)$/i.test(name)) {
    return `文件「${name}」不是支持的格式：请选择 GeoJSON、CSV、KML/KMZ 或压缩的 Shapefile（.zip）`
  }
  if (size > MAX_UPLOAD_BYTES) return `文件「${name}」超过 20 MB，不能导入`
  return null
}

/** Whether the encoding choice matters for this file (CSV and a shapefile's .dbf carry text). */
export function usesEncoding(name: string, format: GeodataFormat | null): boolean {
  if (format) return format === 'csv' || format === 'shapefile'
  return /\.(csv|zip)$/i.test(name)
}

/** The mapping selects: feature field → its Chinese label. `kind` has its fixed-type fallback. */
export const MAPPING_FIELDS: readonly { key: Exclude<keyof GeodataMapping, 'kindFixed'>; label: string }[] = [
  { key: 'name', label: '名称' },
  { key: 'kind', label: '类型' },
  { key: 'risk', label: '风险等级' },
  { key: 'lon', label: '经度' },
  { key: 'lat', label: '纬度' },
  { key: 'wkt', label: 'WKT' },
]

export const KIND_OPTIONS = FEATURE_KINDS.map((k) => ({ code: k.code, label: k.label }))

const FIELD_LABELS: Readonly<Record<string, string>> = {
  geometry: '几何', name: '名称', kind: '类型', kindFixed: '类型', risk: '风险等级', riskLevel: '风险等级',
  lon: '经度', lat: '纬度', wkt: 'WKT',
}

/** A problem's field in Chinese; an attribute column's name is shown as it is in the file. */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field
}

/** "Point 12 · Polygon 3", most frequent first. */
export function geometryTypesText(types: Record<string, number>): string {
  const entries = Object.entries(types).sort((a, b) => b[1] - a[1])
  return entries.length ? entries.map(([t, n]) => `${t} ${n.toLocaleString('zh-CN')}`).join(' · ') : '无有效几何'
}

/** West, south, east, north in degrees, to six decimals (about 0.1 m). */
export function boundsText(bounds: GeodataPreview['bounds']): string {
  if (!bounds) return '无'
  const [w, s, e, n] = bounds.map((v) => v.toFixed(6))
  return `${w}, ${s} — ${e}, ${n}`
}

/** The coordinate system actually used, and where it came from. */
export function crsText(crs: GeodataPreview['crs']): string {
  const declared = CRS_OPTIONS.find((c) => c.code === crs.requested)?.label ?? crs.requested
  if (crs.fromPrj) return `${crs.label}（读自 .prj 文件）`
  return crs.requested === 'auto' ? `${crs.label}（${declared}）` : crs.label
}

/** What the user reads after the import succeeded. */
export function importedMessage(result: GeodataImportResult): string {
  const removed = result.removed ? `，替换原有 ${result.removed.toLocaleString('zh-CN')} 个要素` : ''
  return `导入成功：写入 ${result.inserted.toLocaleString('zh-CN')} 个空间要素${removed}，已记录一次“空间数据导入”更新。`
}

/** The refusal above the problems table. */
export function problemsMessage(count: number, listed: number): string {
  const more = count > listed ? `（列出前 ${listed} 处）` : ''
  return `文件有 ${count.toLocaleString('zh-CN')} 处问题${more}，不能导入；请修改文件或调整坐标系和字段对应后重新预览。整个文件不会写入任何数据。`
}

/** The preview map's source id (its data is the preview's FeatureCollection). */
export const PREVIEW_SOURCE = 'geodata-preview'

const riskColor: ExpressionSpecification = [
  'match', ['coalesce', ['get', 'riskLevel'], ''],
  ...RISK_LEVELS.flatMap((r) => [r.code, r.color]),
  '#1f9d8b',
] as unknown as ExpressionSpecification

/**
 * The preview's features on top of the embedded basemap: polygons filled, lines, and points coloured
 * by risk level (teal when ungraded, so they stand out from the basemap's blues).
 */
export function previewLayers(theme: MapTheme): LayerSpecification[] {
  const p = PALETTES[theme]
  const geometry = (types: string[]): ExpressionSpecification => ['in', ['geometry-type'], ['literal', types]]
  return [
    { id: 'geodata-fill', type: 'fill', source: PREVIEW_SOURCE, filter: geometry(['Polygon', 'MultiPolygon']), paint: { 'fill-color': riskColor, 'fill-opacity': 0.3 } },
    {
      id: 'geodata-line',
      type: 'line',
      source: PREVIEW_SOURCE,
      filter: geometry(['LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']),
      paint: { 'line-color': riskColor, 'line-width': 2 },
    },
    {
      id: 'geodata-point',
      type: 'circle',
      source: PREVIEW_SOURCE,
      filter: geometry(['Point', 'MultiPoint']),
      paint: { 'circle-color': riskColor, 'circle-radius': 5, 'circle-stroke-color': p.pointStroke, 'circle-stroke-width': 1.2 },
    },
  ]
}
