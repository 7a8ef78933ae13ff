/**
 * The checks every way of bringing features in shares (the ingest API, the geodata import): which
 * geometries each kind may have, where features may lie, and well-formed coordinates. They return
 * structured problems; each caller words them for its audience.
 */
import GeoJSONReader from 'jsts/org/locationtech/jts/io/GeoJSONReader.js'
import IsValidOp from 'jsts/org/locationtech/jts/operation/valid/IsValidOp.js'
import { FEATURE_KINDS } from '../domain/enums.js'
import type { Position } from './geometry.js'

/** Where a department's features may lie: mainland China's extent (73–136°E, 3–54°N). */
const CHINA_BOUNDS = { minLon: 73, maxLon: 136, minLat: 3, maxLat: 54 } as const

/** The stored geometry types each feature kind may have. */
export const KIND_GEOMETRIES = new Map<string, readonly string[]>(FEATURE_KINDS.map((k) => [k.code, k.geometry]))

/** Whether a geometry type is allowed for a kind (a MultiPolygon wherever a Polygon is). */
export function geometryAllowed(kind: string, type: string): boolean {
  const allowed = KIND_GEOMETRIES.get(kind)
  if (!allowed) return false
  return allowed.includes(type) || (type === 'MultiPolygon' && allowed.includes('Polygon'))
}

function isPosition(p: unknown): p is Position {
  return Array.isArray(p) && p.length === 2 && p.every((n) => typeof n === 'number' && Number.isFinite(n))
}

export function insideChina(lon: number, lat: number): boolean {
  return lon >= CHINA_BOUNDS.minLon && lon <= CHINA_BOUNDS.maxLon && lat >= CHINA_BOUNDS.minLat && lat <= CHINA_BOUNDS.maxLat
}

/** What is wrong with a geometry's coordinates, first found first. */
export type CoordinateProblem =
  | { kind: 'nesting' }
  | { kind: 'not-position' }
  | { kind: 'outside-china'; position: Position; positions: Position[] }
  | { kind: 'too-few-line-positions' }
  | { kind: 'ring-too-short'; ring: number }
  | { kind: 'ring-unclosed'; ring: number }
  | { kind: 'invalid-polygon'; reason: PolygonFault; position: Position | null }

/**
 * Why a polygon is not valid in the sense of the OGC Simple Features specification, as JTS/GEOS
 * `IsValid` tells it (JSTS, their JavaScript port, does the check).
 */
export type PolygonFault =
  | 'self-intersection' | 'ring-self-intersection' | 'hole-outside-shell' | 'nested-holes' | 'disconnected-interior'
  | 'nested-shells' | 'duplicate-rings' | 'too-few-points' | 'repeated-point' | 'invalid-coordinate' | 'ring-not-closed' | 'other'

/** JSTS TopologyValidationError types, by number. */
const FAULTS: readonly PolygonFault[] = [
  'other', 'repeated-point', 'hole-outside-shell', 'nested-holes', 'disconnected-interior', 'self-intersection',
  'ring-self-intersection', 'nested-shells', 'duplicate-rings', 'too-few-points', 'invalid-coordinate', 'ring-not-closed',
]

const reader = new GeoJSONReader()

/** The first validity fault of a Polygon or MultiPolygon, with where it is, or null when it is valid. */
function polygonFault(type: 'Polygon' | 'MultiPolygon', coordinates: unknown): { reason: PolygonFault; position: Position | null } | null {
  const error = new IsValidOp(reader.read({ type, coordinates })).getValidationError()
  if (!error) return null
  const at = error.getCoordinate()
  return { reason: FAULTS[error.getErrorType()] ?? 'other', position: at && Number.isFinite(at.x) && Number.isFinite(at.y) ? [at.x, at.y] : null }
}

const DEPTH: Record<string, number> = { Point: 0, LineString: 1, Polygon: 2, MultiPolygon: 3 }

/**
 * Checks nesting, that every position is a [longitude, latitude] pair inside China, that a line has
 * two positions, that every polygon ring is closed with at least four and that a polygon is valid
 * (no self-intersection, holes inside their shell, …); returns the first problem.
 * `type` must be one of the stored types (Point, LineString, Polygon, MultiPolygon).
 */
export function checkCoordinates(type: string, coords: unknown): CoordinateProblem | null {
  const depth = DEPTH[type]
  if (depth === undefined) return { kind: 'nesting' }
  const positions: unknown[] = []
  const walk = (v: unknown, d: number): boolean => {
    if (d === 0) { positions.push(v); return true }
    if (!Array.isArray(v) || v.length === 0) return false
    return v.every((x) => walk(x, d - 1))
  }
  if (!walk(coords, depth)) return { kind: 'nesting' }
  for (const p of positions) {
    if (!isPosition(p)) return { kind: 'not-position' }
    if (!insideChina(p[0], p[1])) return { kind: 'outside-china', position: p, positions: positions as Position[] }
  }
  if (type === 'LineString' && (coords as unknown[]).length < 2) return { kind: 'too-few-line-positions' }
  if (type === 'Polygon' || type === 'MultiPolygon') {
    const rings = (type === 'Polygon' ? (coords as Position[][]) : (coords as Position[][][]).flat())
    for (const [i, ring] of rings.entries()) {
      if (ring.length < 4) return { kind: 'ring-too-short', ring: i }
      const a = ring[0]!, b = ring[ring.length - 1]!
      if (a[0] !== b[0] || a[1] !== b[1]) return { kind: 'ring-unclosed', ring: i }
    }
    const fault = polygonFault(type, coords)
    if (fault) return { kind: 'invalid-polygon', ...fault }
  }
  return null
}
