/**
 * GeoJSON (RFC 7946): a FeatureCollection, a single Feature or a bare geometry. Properties become
 * attribute columns (nested values as JSON text). A legacy `crs` member naming an EPSG code is passed on.
 */
import { GeodataFileError, VertexBudget, assertColumnCount, assertFeatureCount, assertJsonDepth, countPositions } from '../limits.js'
import type { AttributeValue, SourceFeature, SourceFile, SourceGeometry } from '../model.js'
import { decode } from '../text.js'

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'])

/** A property value as an attribute: text, number, true/false or empty; objects and arrays as JSON text. */
export function attributeValue(v: unknown): AttributeValue {
  if (v === null || v === undefined) return null
  if (typeof v === 'string' || typeof v === 'boolean') return v
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  return JSON.stringify(v)
}

/** Counts a geometry's positions (members of collections included). */
export function geometryVertices(g: SourceGeometry | null): number {
  if (!g) return 0
  if (g.type === 'GeometryCollection') return (g.geometries ?? []).reduce((s, m) => s + geometryVertices(m), 0)
  return countPositions(g.coordinates)
}

/** Reads a GeoJSON file's features; throws GeodataFileError when it is not GeoJSON at all. */
export function readGeojson(bytes: Buffer): SourceFile {
  let doc: unknown
  const text = decode(bytes, 'utf-8')
  assertJsonDepth(text)
  try {
    doc = JSON.parse(text)
  } catch {
    throw new GeodataFileError('not_geojson', '文件不是有效的 JSON，无法作为 GeoJSON 读取')
  }
  const o = (typeof doc === 'object' && doc !== null ? doc : {}) as { type?: unknown; features?: unknown; crs?: unknown }
  let raws: unknown[]
  if (o.type === 'FeatureCollection' && Array.isArray(o.features)) raws = o.features
  else if (o.type === 'Feature') raws = [o]
  else if (typeof o.type === 'string' && GEOMETRY_TYPES.has(o.type)) raws = [{ type: 'Feature', geometry: o, properties: {} }]
  else throw new GeodataFileError('not_geojson', '文件不是 GeoJSON：顶层应为 FeatureCollection、Feature 或几何对象')
  assertFeatureCount(raws.length)
  const columns = new Set<string>()
  const budget = new VertexBudget()
  const features: SourceFeature[] = raws.map((raw, i) => {
    const f = (typeof raw === 'object' && raw !== null ? raw : {}) as { type?: unknown; geometry?: unknown; properties?: unknown }
    const props = (typeof f.properties === 'object' && f.properties !== null && !Array.isArray(f.properties) ? f.properties : {}) as Record<string, unknown>
    const attributes: Record<string, AttributeValue> = {}
    for (const [k, v] of Object.entries(props)) {
      columns.add(k)
      attributes[k] = attributeValue(v)
    }
    if (columns.size > 200) assertColumnCount(columns.size)
    if (f.type !== 'Feature') return { geometry: null, geometryProblem: '不是 GeoJSON Feature 对象', attributes }
    const g = f.geometry as SourceGeometry | null | undefined
    if (g === null || g === undefined) return { geometry: null, geometryProblem: '几何为空', attributes }
    if (typeof g !== 'object' || typeof g.type !== 'string' || !GEOMETRY_TYPES.has(g.type)) {
      return { geometry: null, geometryProblem: '几何无效：未知的几何类型', attributes }
    }
    budget.add(geometryVertices(g), i + 1)
    return { geometry: g, attributes }
  })
  const crs = o.crs as { properties?: { name?: unknown } } | undefined
  const crsName = typeof crs?.properties?.name === 'string' ? crs.properties.name : null
  return { format: 'geojson', features, columns: [...columns], prj: null, crsName, encoding: null, warnings: [] }
}
