/**
 * From read features to features the catalog can store: the column mapping (given or guessed), the
 * geometry normalised to the stored types and converted to WGS84, and every problem of every feature
 * named by its 1-based number and field.
 */
import { FEATURE_KINDS, RISK_LEVELS, type FeatureKind, type RiskLevel } from '../domain/enums.js'
import { checkCoordinates, geometryAllowed, insideChina, KIND_GEOMETRIES, type CoordinateProblem, type PolygonFault } from '../geo/feature-checks.js'
import type { Geometry, Position } from '../geo/geometry.js'
import type { ResolvedCrs } from './crs.js'
import { parseWkt } from './formats/wkt.js'
import type { AttributeValue, SourceFeature, SourceFile, SourceGeometry } from './model.js'
import type { GeodataColumn, GeodataMapping, GeodataProblem } from '../domain/geodata.js'

export type Mapping = GeodataMapping
export type MappingInput = Partial<Mapping>
export type ColumnInfo = GeodataColumn
export type Problem = GeodataProblem

/** A feature ready to write. */
export interface ImportFeature {
  kind: FeatureKind
  name: string
  geometry: Geometry
  riskLevel: RiskLevel | null
  attributes: Record<string, AttributeValue>
}

const text = (v: AttributeValue | undefined): string => (v === null || v === undefined ? '' : String(v).trim())

/** The columns with a few sample values and their type. */
export function describeColumns(file: SourceFile): ColumnInfo[] {
  return file.columns.map((name) => {
    const samples: string[] = []
    let numbers = 0, booleans = 0, filled = 0
    for (const f of file.features) {
      const v = f.attributes[name]
      if (v === null || v === undefined || v === '') continue
      filled++
      if (typeof v === 'number') numbers++
      else if (typeof v === 'boolean') booleans++
      const s = String(v)
      if (samples.length < 3 && !samples.includes(s)) samples.push(s.length > 80 ? `${s.slice(0, 80)}…` : s)
      if (filled > 2000 && samples.length >= 3) break
    }
    const type = filled === 0 ? 'empty' : numbers === filled ? 'number' : booleans === filled ? 'boolean' : 'text'
    return { name, samples, type }
  })
}

const KIND_BY_TEXT = new Map<string, FeatureKind>(FEATURE_KINDS.flatMap((k) => [[k.code, k.code], [k.label, k.code]] as [string, FeatureKind][]))
const RISK_BY_TEXT = new Map<string, RiskLevel>(RISK_LEVELS.flatMap((r) => [[r.code, r.code], [r.label, r.code]] as [string, RiskLevel][]))

/** A kind written as its code or its Chinese label. */
export const kindOf = (s: string): FeatureKind | null => KIND_BY_TEXT.get(s) ?? KIND_BY_TEXT.get(s.toLowerCase()) ?? null
/** A risk level written as its code or its Chinese label. */
export const riskOf = (s: string): RiskLevel | null => RISK_BY_TEXT.get(s) ?? RISK_BY_TEXT.get(s.toLowerCase()) ?? null

const GUESSES: Record<'name' | 'kind' | 'risk' | 'lon' | 'lat' | 'wkt', RegExp> = {
  name: /^(名称|name|mc|title|标题|名字|要素名称|单位名称|设施名称)$/i,
  kind: /^(kind|要素类型|要素种类|类型|类别|type)$/i,
  risk: /^(风险等级|风险级别|risk|risk_?level|risklevel|fxdj)$/i,
  lon: /^(经度|lon|lng|long|longitude|x|point_x|jd)$/i,
  lat: /^(纬度|lat|latitude|y|point_y|wd)$/i,
  wkt: /^(wkt|geometry|geom|the_geom|shape|wkt_geom|几何)$/i,
}

/**
 * The mapping: what the user gave, the rest guessed from column names. A kind column is guessed only
 * when its values name kinds; without one the kind is the fixed one, else the resource's most common.
 */
export function resolveMapping(given: MappingInput, file: SourceFile, columns: ColumnInfo[], commonKind: FeatureKind | null): Mapping {
  const pick = (key: keyof typeof GUESSES, accept: (c: ColumnInfo) => boolean = () => true): string | null => {
    if (key in given) return given[key] ?? null
    return columns.find((c) => GUESSES[key].test(c.name) && accept(c))?.name ?? null
  }
  let lon: string | null = null, lat: string | null = null, wkt: string | null = null
  if (file.format === 'csv') {
    const number = (c: ColumnInfo) => c.type === 'number'
    lon = pick('lon', number)
    lat = pick('lat', number)
    const givenWkt = 'wkt' in given ? (given.wkt ?? null) : undefined
    // A WKT column named by the user wins; a guessed one only when there is no longitude/latitude pair.
    if (givenWkt) wkt = givenWkt
    else if (givenWkt === undefined && !(lon && lat)) wkt = pick('wkt')
    if (wkt) { lon = null; lat = null }
  }
  const kind = pick('kind', (c) => c.samples.some((s) => kindOf(s) !== null))
  return {
    name: pick('name') ?? columns.find((c) => /名称|name/i.test(c.name))?.name ?? null,
    kind,
    kindFixed: given.kindFixed ?? (kind ? null : commonKind),
    risk: pick('risk'),
    lon, lat, wkt,
  }
}

const numberOf = (v: AttributeValue | undefined): number | null => {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v.trim()))) return Number(v.trim())
  return null
}

/** Positions as [x, y] numbers (Z and M dropped); null when any is not a pair of finite numbers. */
function positions2d(v: unknown, depth: number): unknown {
  if (depth === 0) {
    if (!Array.isArray(v) || v.length < 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number' || !Number.isFinite(v[0]) || !Number.isFinite(v[1])) return null
    return [v[0], v[1]]
  }
  if (!Array.isArray(v)) return null
  const out = v.map((x) => positions2d(x, depth - 1))
  return out.includes(null) ? null : out
}

const DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 }
const isEmpty = (c: unknown): boolean => Array.isArray(c) && (c.length === 0 || c.every(isEmpty)) && !(c.length > 0 && typeof c[0] === 'number')

/**
 * A source geometry as one of the stored types, in source coordinates; or a problem. MultiPoint and
 * MultiLineString with one member become Point and LineString; with more they are problems (the
 * import does not split features, so that feature numbers stay those of the file).
 */
function normaliseGeometry(g: SourceGeometry): { geometry: Geometry } | { problem: string } {
  if (g.type === 'GeometryCollection') {
    const members = (g.geometries ?? []).map(normaliseGeometry)
    if (members.length === 0) return { problem: '几何为空' }
    const bad = members.find((m) => 'problem' in m)
    if (bad) return bad
    const gs = members.map((m) => (m as { geometry: Geometry }).geometry)
    if (gs.length === 1) return { geometry: gs[0]! }
    if (gs.every((x) => x.type === 'Polygon' || x.type === 'MultiPolygon')) {
      return { geometry: { type: 'MultiPolygon', coordinates: gs.flatMap((x) => (x.type === 'Polygon' ? [x.coordinates] : (x.coordinates as Position[][][]))) } }
    }
    return { problem: '几何集合（GeometryCollection）包含不同类型的几何，请拆分为单个要素' }
  }
  const depth = DEPTH[g.type]
  if (depth === undefined) return { problem: `几何无效：不支持的几何类型 ${g.type}` }
  if (g.coordinates === undefined || g.coordinates === null || isEmpty(g.coordinates)) return { problem: '几何为空' }
  const c = positions2d(g.coordinates, depth)
  if (c === null) return { problem: '几何无效：坐标应为数字' }
  if (g.type === 'MultiPoint') {
    const pts = c as Position[]
    return pts.length === 1 ? { geometry: { type: 'Point', coordinates: pts[0]! } } : { problem: `多点要素（MultiPoint，${pts.length} 个点）不能导入，请拆分为单点要素` }
  }
  if (g.type === 'MultiLineString') {
    const lines = c as Position[][]
    return lines.length === 1 ? { geometry: { type: 'LineString', coordinates: lines[0]! } } : { problem: `多段线要素（MultiLineString，${lines.length} 段）不能导入，请拆分为单线要素` }
  }
  return { geometry: { type: g.type, coordinates: c } as Geometry }
}

function mapPositions(g: Geometry, f: (x: number, y: number) => Position): Geometry {
  const ring = (r: Position[]) => r.map((p) => f(p[0], p[1]))
  switch (g.type) {
    case 'Point': return { type: 'Point', coordinates: f(g.coordinates[0], g.coordinates[1]) }
    case 'LineString': return { type: 'LineString', coordinates: ring(g.coordinates) }
    case 'Polygon': return { type: 'Polygon', coordinates: g.coordinates.map(ring) }
    case 'MultiPolygon': return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(ring)) }
  }
}

const fmt = (p: Position) => `[${Number(p[0].toFixed(6))}, ${Number(p[1].toFixed(6))}]`

function coordinateMessage(type: string, p: CoordinateProblem): string {
  switch (p.kind) {
    case 'nesting': return `几何无效：坐标结构不是有效的 ${type}`
    case 'not-position': return '几何无效：坐标应为 [经度, 纬度] 数字'
    case 'outside-china':
      if (p.positions.every(([x, y]) => insideChina(y, x)) && !insideChina(p.position[0], p.position[1])) {
        return `经纬度疑似颠倒：坐标 ${fmt(p.position)} 不在中国境内，交换经纬度后在境内`
      }
      return `坐标 ${fmt(p.position)} 超出中国范围（东经 73–136°，北纬 3–54°）`
    case 'too-few-line-positions': return '线至少需要 2 个点'
    case 'ring-too-short': return `多边形第 ${p.ring + 1} 个环少于 4 个点`
    case 'ring-unclosed': return `多边形第 ${p.ring + 1} 个环未闭合`
    case 'invalid-polygon': return `面无效：${POLYGON_FAULTS[p.reason]}${p.position ? `，位置 ${Number(p.position[0].toFixed(6))}, ${Number(p.position[1].toFixed(6))}` : ''}`
  }
}

const POLYGON_FAULTS: Record<PolygonFault, string> = {
  'self-intersection': '自相交',
  'ring-self-intersection': '环自相交',
  'hole-outside-shell': '内环（洞）在外环之外',
  'nested-holes': '内环相互嵌套',
  'disconnected-interior': '内环把面分割成不相连的部分',
  'nested-shells': '多面中的面相互嵌套',
  'duplicate-rings': '环重复',
  'too-few-points': '不同的点太少（至少 3 个不同的点）',
  'repeated-point': '有重复点',
  'invalid-coordinate': '坐标无效',
  'ring-not-closed': '环未闭合',
  'other': '拓扑错误',
}

const kindLabel = (k: string) => FEATURE_KINDS.find((x) => x.code === k)?.label ?? k
const TYPE_LABELS: Record<string, string> = { Point: '点', LineString: '线', Polygon: '面', MultiPolygon: '多面' }

export interface CheckedFeature {
  /** The converted geometry, when it could be built (it may still have problems). */
  geometry: Geometry | null
  /** The geometry type as read, for the counts of the preview. */
  sourceType: string | null
  feature: ImportFeature | null
  problems: Problem[]
}

/** Builds, converts and checks one feature; `n` is its 1-based number in the file. */
export function checkFeature(f: SourceFeature, n: number, m: Mapping, crs: ResolvedCrs): CheckedFeature {
  const problems: Problem[] = []
  const problem = (field: string, message: string) => problems.push({ feature: n, field, message })
  let source = f.geometry
  let sourceProblem = f.geometryProblem ?? null
  if (m.wkt) {
    const w = text(f.attributes[m.wkt])
    source = null
    if (w === '') sourceProblem = 'WKT 为空'
    else {
      try { source = parseWkt(w) } catch (err) { sourceProblem = (err as Error).message }
    }
  } else if (m.lon || m.lat) {
    source = null
    const lon = m.lon ? numberOf(f.attributes[m.lon]) : null
    const lat = m.lat ? numberOf(f.attributes[m.lat]) : null
    if (!m.lon || !m.lat) sourceProblem = `未指定${m.lon ? '纬度' : '经度'}列`
    else {
      if (lon === null) problem('lon', text(f.attributes[m.lon]) === '' ? '经度为空' : `经度「${text(f.attributes[m.lon])}」不是数字`)
      if (lat === null) problem('lat', text(f.attributes[m.lat]) === '' ? '纬度为空' : `纬度「${text(f.attributes[m.lat])}」不是数字`)
      if (lon !== null && lat !== null) source = { type: 'Point', coordinates: [lon, lat] }
    }
  }
  let geometry: Geometry | null = null
  if (source) {
    const normal = normaliseGeometry(source)
    if ('problem' in normal) problem('geometry', normal.problem)
    else {
      geometry = mapPositions(normal.geometry, crs.toWgs84)
      const cp = checkCoordinates(geometry.type, geometry.coordinates)
      if (cp) problem('geometry', coordinateMessage(geometry.type, cp))
    }
  } else if (sourceProblem) problem('geometry', sourceProblem)
  else if (!m.lon && !m.lat) problem('geometry', '未找到几何：请指定经纬度列或 WKT 列')

  const name = m.name ? text(f.attributes[m.name]) : ''
  if (name === '') problem('name', m.name ? '名称为空' : '未指定名称列')
  else if (name.length > 200) problem('name', `名称超过 200 个字符（${name.length} 个）`)

  let kind: FeatureKind | null = m.kindFixed
  const kindText = m.kind ? text(f.attributes[m.kind]) : ''
  if (kindText !== '') {
    kind = kindOf(kindText)
    if (!kind) problem('kind', `未知的要素类型「${kindText}」，应为 ${FEATURE_KINDS.map((k) => k.label).join('、')} 之一`)
  } else if (m.kind && !m.kindFixed) problem('kind', '要素类型为空')
  if (kind && geometry && !geometryAllowed(kind, geometry.type)) {
    problem('geometry', `${kindLabel(kind)}的几何应为${KIND_GEOMETRIES.get(kind)!.map((t) => TYPE_LABELS[t] ?? t).join('或')}，不能是${TYPE_LABELS[geometry.type] ?? geometry.type}`)
  }

  const riskText = m.risk ? text(f.attributes[m.risk]) : ''
  const riskLevel = riskText === '' ? null : riskOf(riskText)
  if (riskText !== '' && !riskLevel) problem('risk', `未知的风险等级「${riskText}」，应为 ${RISK_LEVELS.map((r) => r.label).join('、')} 之一`)

  const used = new Set([m.name, m.kind, m.risk, m.lon, m.lat, m.wkt])
  const attributes: Record<string, AttributeValue> = {}
  for (const [k, v] of Object.entries(f.attributes)) if (!used.has(k)) attributes[k] = v
  const feature = problems.length === 0 && geometry && kind ? { kind, name, geometry, riskLevel, attributes } : null
  return { geometry, sourceType: source?.type ?? null, feature, problems }
}
