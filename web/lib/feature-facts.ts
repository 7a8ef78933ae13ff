import type { FeatureDetail } from '../api/geojson.js'

const GEOMETRY: Record<string, string> = { Point: '点', MultiPoint: '多点', LineString: '线', MultiLineString: '多线', Polygon: '面', MultiPolygon: '多面' }

/** Every [lon, lat] of a GeoJSON geometry's coordinates, however deeply nested. */
function positions(coords: unknown, out: [number, number][] = []): [number, number][] {
  if (Array.isArray(coords) && typeof coords[0] === 'number') out.push([Number(coords[0]), Number(coords[1])])
  else if (Array.isArray(coords)) for (const c of coords) positions(c, out)
  return out
}

const deg = (v: number) => v.toFixed(6)

/** What a feature's page shows of it: the geometry in words, where it lies, its attributes and indicator scores (highest first). */
export function featureFacts(f: FeatureDetail) {
  const all = positions(f.geometry.coordinates)
  const xs = all.map((p) => p[0])
  const ys = all.map((p) => p[1])
  const [w, s, e, n] = all.length ? [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] : [NaN, NaN, NaN, NaN]
  const point = f.geometry.type === 'Point'
  return {
    geometry: `${GEOMETRY[f.geometry.type] ?? f.geometry.type}${point ? '' : `（${all.length.toLocaleString('zh-CN')} 个顶点）`}`,
    point,
    centre: all.length ? `${deg((w + e) / 2)}, ${deg((s + n) / 2)}` : '—',
    extent: point || !all.length ? null : `${deg(w)}, ${deg(s)} — ${deg(e)}, ${deg(n)}`,
    attributes: Object.entries(f.properties.attributes ?? {}).filter(([, v]) => v !== null && v !== '').map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)] as [string, string]),
    indicators: (Object.entries(f.properties.indicators ?? {}).filter(([, v]) => typeof v === 'number') as [string, number][]).sort((a, b) => b[1] - a[1]),
  }
}
