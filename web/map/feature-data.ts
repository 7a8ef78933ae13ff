import type { FeatureKind, RiskLevel } from '../../server/domain/enums.js'
import type { AtlasFeature, AtlasFeatureCollection, Geometry, MapFeatureProperties } from '../api/geojson.js'

export interface MapData {
  /** Points to cluster. */
  points: AtlasFeatureCollection<MapFeatureProperties>
  /** Red (重大) risk points, drawn unclustered on top. */
  alerts: AtlasFeatureCollection<MapFeatureProperties>
  /** Lines and polygons. */
  shapes: AtlasFeatureCollection<MapFeatureProperties>
}

/**
 * Splits the API's features into the clustered points, the unclustered red risks and the
 * lines/polygons, keeping
 * only the kinds switched on and only the properties the map draws (nested objects such as the
 * indicator breakdown would be serialised into every tile for nothing).
 */
export function toMapData(collection: AtlasFeatureCollection, visibleKinds: readonly FeatureKind[]): MapData {
  const visible = new Set(visibleKinds)
  const points: AtlasFeature<MapFeatureProperties>[] = []
  const shapes: AtlasFeature<MapFeatureProperties>[] = []
  const alerts: AtlasFeature<MapFeatureProperties>[] = []
  for (const f of collection.features) {
    const p = f.properties
    if (!f.geometry || !visible.has(p.kind)) continue
    const slim: AtlasFeature<MapFeatureProperties> = {
      type: 'Feature',
      id: p.id,
      geometry: f.geometry,
      properties: { id: p.id, name: p.name, kind: p.kind, riskLevel: p.riskLevel, impactRadiusM: p.impactRadiusM, domainCode: p.domainCode },
    }
    if (f.geometry.type !== 'Point') shapes.push(slim)
    else if (p.riskLevel === 'red') alerts.push(slim)
    else points.push(slim)
  }
  return {
    points: { type: 'FeatureCollection', features: points },
    alerts: { type: 'FeatureCollection', features: alerts },
    shapes: { type: 'FeatureCollection', features: shapes },
  }
}

/** Feature counts per kind and per risk level, for the legend. */
export function countFeatures(collection: AtlasFeatureCollection) {
  const byKind: Partial<Record<FeatureKind, number>> = {}
  const byRisk: Record<RiskLevel | 'ungraded', number> = { red: 0, orange: 0, yellow: 0, blue: 0, ungraded: 0 }
  for (const f of collection.features) {
    const p = f.properties
    byKind[p.kind] = (byKind[p.kind] ?? 0) + 1
    byRisk[p.riskLevel ?? 'ungraded'] += 1
  }
  return { byKind, byRisk }
}

export interface TourStop {
  id: number
  name: string
  center: [number, number]
}

/** The mean of a feature's indicator scores (0–100), or -1 without any: how bad a red risk is. */
function indicatorMean(p: AtlasFeature['properties']): number {
  const values = Object.values(p.indicators ?? {}).filter((v): v is number => typeof v === 'number')
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : -1
}

/**
 * The stops of the wall screen's auto-tour: the red risk points in a stable order (by id), optionally
 * of one department only, and optionally only the `top` N with the highest indicator scores (the
 * worst first).
 */
export function redRiskStops(collection: AtlasFeatureCollection, options: { top?: number | null; department?: number | null } = {}): TourStop[] {
  let red = collection.features.filter((f) => f.properties.riskLevel === 'red' && f.geometry?.type === 'Point')
  if (options.department != null) red = red.filter((f) => f.properties.departmentId === options.department)
  if (options.top != null) {
    red = red
      .map((f) => ({ f, score: indicatorMean(f.properties) }))
      .sort((a, b) => b.score - a.score || a.f.properties.id - b.f.properties.id)
      .slice(0, options.top)
      .map((x) => x.f)
  } else {
    red = [...red].sort((a, b) => a.properties.id - b.properties.id)
  }
  return red.map((f) => ({ id: f.properties.id, name: f.properties.name, center: f.geometry.coordinates as [number, number] }))
}

/** Bounding box [minLon, minLat, maxLon, maxLat] of any GeoJSON coordinates, or null when empty. */
export function bboxOf(collection: { features: { geometry: Geometry | null }[] }): [number, number, number, number] | null {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      minX = Math.min(minX, c[0]); maxX = Math.max(maxX, c[0])
      minY = Math.min(minY, c[1]); maxY = Math.max(maxY, c[1])
      return
    }
    for (const x of c) visit(x)
  }
  for (const f of collection.features) if (f.geometry) visit(f.geometry.coordinates)
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null
}

/**
 * Legend counts from the statistics' risk-by-kind table, for a map drawing vector tiles (it never
 * holds the features themselves). Same shape as countFeatures.
 */
export function countsFromRiskStats(byKind: readonly { kind: FeatureKind; red: number; orange: number; yellow: number; blue: number; ungraded: number }[]) {
  const counts: ReturnType<typeof countFeatures> = { byKind: {}, byRisk: { red: 0, orange: 0, yellow: 0, blue: 0, ungraded: 0 } }
  for (const row of byKind) {
    counts.byKind[row.kind] = (counts.byKind[row.kind] ?? 0) + row.red + row.orange + row.yellow + row.blue + row.ungraded
    for (const r of ['red', 'orange', 'yellow', 'blue', 'ungraded'] as const) counts.byRisk[r] += row[r]
  }
  return counts
}
