import { RISK_LEVELS, type FeatureKind, type RiskLevel } from '../domain/enums.js'
import { KIND_GEOMETRIES, checkCoordinates, geometryAllowed, type CoordinateProblem } from '../geo/feature-checks.js'
import type { Geometry } from '../geo/geometry.js'

/** A changed feature as reported, after validation. */
export interface IngestFeature {
  /** The stored feature it replaces, when properties.id names one of the resource's features. */
  id: number | null
  kind: FeatureKind
  name: string
  geometry: Geometry
  riskLevel: RiskLevel | null
  impactRadiusM: number | null
  capacity: number | null
  capacityUnit: string | null
  attributes: Record<string, string | number | boolean | null>
}

/** The first problem in a reported feature collection: which feature and what is wrong with it. */
export interface FeatureProblem { index: number | null; parameter: string; message: string }

const RISKS = new Set<string>(RISK_LEVELS.map((r) => r.code))

/** The ingest API's (English) words for a coordinate problem. */
function coordinateMessage(type: string, p: CoordinateProblem): string {
  switch (p.kind) {
    case 'nesting': return `coordinates are not a valid ${type}`
    case 'not-position': return 'each position must be [longitude, latitude] numbers'
    case 'outside-china': return `position [${p.position[0]}, ${p.position[1]}] lies outside China (73–136°E, 3–54°N)`
    case 'too-few-line-positions': return 'a LineString needs at least two positions'
    case 'ring-too-short': case 'ring-unclosed': return 'each polygon ring must be closed and have at least four positions'
    case 'invalid-polygon': return `the polygon is not valid: ${p.reason.replaceAll('-', ' ')}${p.position ? ` at [${p.position.map((n) => Number(n.toFixed(6))).join(', ')}]` : ''}`
  }
}

const optionalNumber = (v: unknown): number | null | undefined =>
  v === undefined || v === null ? null : typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined

/**
 * Validates an RFC 7946 FeatureCollection of changed features. Returns the features, or the first
 * problem naming the feature's index, so that nothing is written when any feature is wrong.
 */
export function parseFeatureCollection(input: unknown): { features: IngestFeature[] } | { problem: FeatureProblem } {
  const fail = (index: number | null, parameter: string, message: string) => ({ problem: { index, parameter, message } })
  if (typeof input !== 'object' || input === null || (input as { type?: unknown }).type !== 'FeatureCollection' || !Array.isArray((input as { features?: unknown }).features)) {
    return fail(null, 'features', 'must be a GeoJSON FeatureCollection')
  }
  const list = (input as { features: unknown[] }).features
  if (list.length > 10_000) return fail(null, 'features', 'at most 10000 features per update')
  const out: IngestFeature[] = []
  for (const [i, raw] of list.entries()) {
    const at = `features[${i}]`
    if (typeof raw !== 'object' || raw === null || (raw as { type?: unknown }).type !== 'Feature') return fail(i, at, `${at}: not a GeoJSON Feature`)
    const f = raw as { geometry?: unknown; properties?: unknown }
    const props = (typeof f.properties === 'object' && f.properties !== null ? f.properties : {}) as Record<string, unknown>
    const kind = props.kind
    if (typeof kind !== 'string' || !KIND_GEOMETRIES.has(kind)) {
      return fail(i, `${at}.properties.kind`, `${at}: unknown kind ${JSON.stringify(kind ?? null)}; expected one of ${[...KIND_GEOMETRIES.keys()].join(', ')}`)
    }
    const name = props.name
    if (typeof name !== 'string' || name.trim() === '' || name.length > 200) return fail(i, `${at}.properties.name`, `${at}: name must be 1–200 characters`)
    const g = f.geometry as { type?: unknown; coordinates?: unknown } | null | undefined
    if (typeof g !== 'object' || g === null || typeof g.type !== 'string') return fail(i, `${at}.geometry`, `${at}: geometry is missing`)
    const allowed = KIND_GEOMETRIES.get(kind)!
    if (!geometryAllowed(kind, g.type)) {
      return fail(i, `${at}.geometry.type`, `${at}: geometry type ${g.type} is not allowed for ${kind}; expected ${allowed.join(' or ')}`)
    }
    const coordProblem = checkCoordinates(g.type, g.coordinates)
    if (coordProblem) return fail(i, `${at}.geometry.coordinates`, `${at}: ${coordinateMessage(g.type, coordProblem)}`)
    const risk = props.riskLevel ?? null
    if (risk !== null && (typeof risk !== 'string' || !RISKS.has(risk))) return fail(i, `${at}.properties.riskLevel`, `${at}: unknown risk level ${JSON.stringify(risk)}`)
    const impact = optionalNumber(props.impactRadiusM)
    if (impact === undefined) return fail(i, `${at}.properties.impactRadiusM`, `${at}: impactRadiusM must be a non-negative number`)
    const capacity = optionalNumber(props.capacity)
    if (capacity === undefined) return fail(i, `${at}.properties.capacity`, `${at}: capacity must be a non-negative number`)
    const id = props.id ?? null
    if (id !== null && !(typeof id === 'number' && Number.isSafeInteger(id) && id > 0)) return fail(i, `${at}.properties.id`, `${at}: id must be a positive whole number`)
    const attributes: IngestFeature['attributes'] = {}
    const rawAttrs = props.attributes
    if (rawAttrs !== undefined && rawAttrs !== null) {
      if (typeof rawAttrs !== 'object' || Array.isArray(rawAttrs)) return fail(i, `${at}.properties.attributes`, `${at}: attributes must be an object`)
      for (const [k, v] of Object.entries(rawAttrs)) {
        if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) return fail(i, `${at}.properties.attributes`, `${at}: attribute ${k} must be text, a number or true/false`)
        attributes[k] = v as string | number | boolean | null
      }
    }
    out.push({
      id: id as number | null, kind: kind as FeatureKind, name: name.trim(), geometry: { type: g.type, coordinates: g.coordinates } as Geometry,
      riskLevel: risk as RiskLevel | null, impactRadiusM: impact, capacity,
      capacityUnit: typeof props.capacityUnit === 'string' ? props.capacityUnit : null, attributes,
    })
  }
  return { features: out }
}
