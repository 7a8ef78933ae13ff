import booleanPointInPolygon from '@turf/boolean-point-in-polygon'

/** RFC 7946 geometries the catalog stores (WGS84 longitude/latitude). */
export type Position = [number, number]
export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
export type Bbox = [minX: number, minY: number, maxX: number, maxY: number]

/** The bounding box of any stored geometry. */
export function bboxOf(g: Geometry): Bbox {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
  const visit = (p: Position) => {
    if (p[0] < minX) minX = p[0]
    if (p[0] > maxX) maxX = p[0]
    if (p[1] < minY) minY = p[1]
    if (p[1] > maxY) maxY = p[1]
  }
  switch (g.type) {
    case 'Point': visit(g.coordinates); break
    case 'LineString': g.coordinates.forEach(visit); break
    case 'Polygon': g.coordinates.forEach((r) => r.forEach(visit)); break
    case 'MultiPolygon': g.coordinates.forEach((p) => p.forEach((r) => r.forEach(visit))); break
  }
  return [minX, minY, maxX, maxY]
}

/** A representative point: the point itself, a line's middle vertex, a polygon's bbox centre. */
export function anchorOf(g: Geometry): Position {
  if (g.type === 'Point') return g.coordinates
  if (g.type === 'LineString') return g.coordinates[Math.floor(g.coordinates.length / 2)]!
  const [a, b, c, d] = bboxOf(g)
  return [(a + c) / 2, (b + d) / 2]
}

/** Whether a point lies inside a polygon or multipolygon (holes respected, boundary counts as inside). */
export function pointInArea(p: Position, area: Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>): boolean {
  return booleanPointInPolygon(p, area)
}

export function bboxContains(b: Bbox, p: Position): boolean {
  return p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]
}

const EARTH_RADIUS_M = 6_371_008.8
/** Great-circle distance in metres. */
export function distanceM(a: Position, b: Position): number {
  const toRad = Math.PI / 180
  const dLat = (b[1] - a[1]) * toRad
  const dLon = (b[0] - a[0]) * toRad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h))
}
