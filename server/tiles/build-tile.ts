import { FeatureIndex, KEY_ZOOM, KIND_CODES, RISK_CODES, nameAt } from './feature-index.js'
import { mercX, mercY } from './tile-math.js'
import { encodeMvt, type MvtFeature } from './mvt-encode.js'
import { BUFFER, EXTENT, clipLine, clipRing, insideBuffered, ringArea2, snap, tileBounds, type Position } from './tile-math.js'

/** Points are aggregated into grid clusters up to this zoom; above it they are drawn one by one. */
export const CLUSTER_MAX_ZOOM = 14
/** Cluster grid cells per tile side at z ≤ CLUSTER_MAX_ZOOM: 32 px cells on a 512 px tile. */
const CLUSTER_GRID = 16
/** Above CLUSTER_MAX_ZOOM a tile with more points than this still clusters, on a finer grid. */
const MAX_SINGLE_POINTS = 5000
const DENSE_GRID = 64
/** At most this many lines and polygons per tile, largest first, so low-zoom tiles stay small and quick. */
export function shapeBudget(z: number): number {
  return z <= 10 ? 1500 : z <= 12 ? 2500 : 4000
}
/** Lines and polygons carry their names (for hover labels) from this zoom; below it a click fetches them by id. */
const SHAPE_NAMES_MIN_ZOOM = 14
/** The hard limit on one tile's encoded size. */
const MAX_TILE_BYTES = 500 * 1024

/** Layer names of our tiles. */
export const TILE_LAYERS = { points: 'points', alerts: 'alerts', lines: 'lines', polygons: 'polygons' } as const

/** What a tile shows: the resources, kinds and risk levels allowed (null masks allow everything). */
export interface TileFilter {
  /** resources[id] === 1 when the resource's features are shown; null: every resource. */
  resources: Uint8Array | null
  /** Bit i set when KIND_CODES[i] is shown. */
  kindMask: number
  /** Bit i set when RISK_CODES[i] is shown (bit 0: ungraded). */
  riskMask: number
}

export const ALL_FEATURES: TileFilter = { resources: null, kindMask: -1, riskMask: -1 }

type Tags = Record<string, string | number | boolean>
type VtFeature = MvtFeature

/** MapLibre-style abbreviated counts: 950, 1.2k, 12k. */
function abbreviateCount(n: number): string {
  return n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${Math.round(n / 100) / 10}k` : String(n)
}

function passes(f: TileFilter, resource: number, kind: number, risk: number): boolean {
  return (f.resources === null || f.resources[resource] === 1) && ((f.kindMask >> kind) & 1) === 1 && ((f.riskMask >> risk) & 1) === 1
}

/**
 * Builds one Mapbox Vector Tile (spec 2.1, extent 4096) from the in-memory index: points clustered
 * on a grid (with count and worst risk; red risks in their own layer so they are never hidden in a
 * milder cluster), lines and polygons clipped to the tile with a buffer. Returns the encoded bytes.
 */
export function buildTile(index: FeatureIndex, domains: Map<number, string>, z: number, x: number, y: number,
  filter: TileFilter, budget = shapeBudget(z)): Uint8Array {
  const layers: Record<string, VtFeature[]> = { points: [], alerts: [], lines: [], polygons: [] }
  addPoints(index, domains, z, x, y, filter, layers)
  addShapes(index, domains, z, x, y, filter, budget, layers)
  const bytes = encodeMvt(layers, EXTENT)
  // A budget that still overflows (very long names, say) is halved until the tile fits.
  if (bytes.byteLength > MAX_TILE_BYTES && budget > 1) return buildTile(index, domains, z, x, y, filter, Math.floor(budget / 2))
  return bytes
}

function addPoints(index: FeatureIndex, domains: Map<number, string>, z: number, x: number, y: number, filter: TileFilter,
  layers: Record<string, VtFeature[]>): void {
  const P = index.points
  const [a, b] = index.pointRange(z, x, y)
  const n = 2 ** z
  const selected: number[] = []
  const all = filter === ALL_FEATURES
  for (let i = a; i < b; i++) {
    if (!all && !passes(filter, P.resource[i]!, P.kind[i]!, P.risk[i]!)) continue
    if (z > KEY_ZOOM) {
      const px = P.mx[i]! * n - x
      const py = P.my[i]! * n - y
      if (px < 0 || px >= 1 || py < 0 || py >= 1) continue
    }
    selected.push(i)
  }
  const grid = z <= CLUSTER_MAX_ZOOM ? CLUSTER_GRID : selected.length > MAX_SINGLE_POINTS ? DENSE_GRID : 0
  const singles: number[] = []
  if (grid === 0) {
    singles.push(...selected)
  } else {
    // Two grids: red risks (alerts) and everything else.
    const cells = grid * grid
    const count = new Uint32Array(cells * 2)
    const sumX = new Float64Array(cells * 2)
    const sumY = new Float64Array(cells * 2)
    const worst = new Uint8Array(cells * 2)
    const first = new Int32Array(cells * 2)
    for (const i of selected) {
      const fx = P.mx[i]! * n - x
      const fy = P.my[i]! * n - y
      const cx = Math.min(grid - 1, Math.floor(fx * grid))
      const cy = Math.min(grid - 1, Math.floor(fy * grid))
      const red = P.risk[i] === 1 ? 1 : 0
      const c = red * cells + cy * grid + cx
      if (count[c] === 0) first[c] = i
      count[c]!++
      sumX[c]! += fx
      sumY[c]! += fy
      const r = P.risk[i]!
      if (r !== 0 && (worst[c] === 0 || r < worst[c]!)) worst[c] = r
    }
    for (let c = 0; c < cells * 2; c++) {
      const k = count[c]!
      if (k === 0) continue
      if (k === 1) {
        singles.push(first[c]!)
        continue
      }
      const tags: Tags = { cluster: true, point_count: k, point_count_abbreviated: abbreviateCount(k) }
      if (worst[c]) tags.worstRisk = RISK_CODES[worst[c]!]!
      const at = [Math.round((sumX[c]! / k) * EXTENT), Math.round((sumY[c]! / k) * EXTENT)]
      ;(c >= cells ? layers.alerts! : layers.points!).push({ type: 1, parts: [at], tags })
    }
  }
  for (const i of singles) {
    const id = P.id[i]!
    const tags: Tags = { id, name: nameAt(P, i), kind: KIND_CODES[P.kind[i]!]!, domainCode: domains.get(P.resource[i]!) ?? '' }
    if (P.risk[i]) tags.riskLevel = RISK_CODES[P.risk[i]!]!
    const radius = P.radius[i]!
    if (radius && !Number.isNaN(radius)) tags.impactRadiusM = radius
    const at = [Math.round((P.mx[i]! * n - x) * EXTENT), Math.round((P.my[i]! * n - y) * EXTENT)]
    ;(P.risk[i] === 1 ? layers.alerts! : layers.points!).push({ type: 1, parts: [at], tags, id })
  }
}

function addShapes(index: FeatureIndex, domains: Map<number, string>, z: number, x: number, y: number, filter: TileFilter,
  budget: number, layers: Record<string, VtFeature[]>): void {
  const S = index.shapes
  const [w, s, e, nb] = tileBounds(z, x, y, BUFFER)
  const chosen: number[] = []
  for (let i = 0; i < S.id.length && chosen.length < budget; i++) {
    if (S.maxX[i]! < w || S.minX[i]! > e || S.maxY[i]! < s || S.minY[i]! > nb) continue
    if (!passes(filter, S.resource[i]!, S.kind[i]!, S.risk[i]!)) continue
    chosen.push(i)
  }
  if (!chosen.length) return
  const named = z >= SHAPE_NAMES_MIN_ZOOM
  const n = 2 ** z
  const partOf = (j: number): Position[] => {
    const out: Position[] = []
    for (let v = S.vertexStart[j]!; v < S.vertexStart[j + 1]!; v++) out.push([(S.coords[2 * v]! * n - x) * EXTENT, (S.coords[2 * v + 1]! * n - y) * EXTENT])
    return out
  }
  /** A part already inside the buffered tile: projected, rounded and deduplicated straight into a flat list. */
  const snappedFlat = (j: number): number[] => {
    const out: number[] = []
    for (let v = S.vertexStart[j]!; v < S.vertexStart[j + 1]!; v++) {
      const px = Math.round((S.coords[2 * v]! * n - x) * EXTENT)
      const py = Math.round((S.coords[2 * v + 1]! * n - y) * EXTENT)
      if (out.length && out[out.length - 2] === px && out[out.length - 1] === py) continue
      out.push(px, py)
    }
    return out
  }
  const flat = (ring: Position[]) => ring.flatMap((p) => p)
  for (const i of chosen) {
    const id = S.id[i]!
    const tags: Tags = { id, kind: KIND_CODES[S.kind[i]!]!, domainCode: domains.get(S.resource[i]!) ?? '' }
    const name = named ? nameAt(S, i) : ''
    if (name) tags.name = name
    if (S.risk[i]) tags.riskLevel = RISK_CODES[S.risk[i]!]!
    const parts: number[][] = []
    // Lines wholly inside the buffered tile (most of them, at low zooms) skip clipping.
    const inside = insideBuffered((mercX(S.minX[i]!) * n - x) * EXTENT, (mercY(S.maxY[i]!) * n - y) * EXTENT,
      (mercX(S.maxX[i]!) * n - x) * EXTENT, (mercY(S.minY[i]!) * n - y) * EXTENT)
    if (S.type[i] === 2 && inside) {
      for (let j = S.partStart[i]!; j < S.partStart[i + 1]!; j++) {
        const part = snappedFlat(j)
        if (part.length >= 4) parts.push(part)
      }
      if (parts.length) layers.lines!.push({ type: 2, parts, tags, id })
    } else if (S.type[i] === 2) {
      for (let j = S.partStart[i]!; j < S.partStart[i + 1]!; j++) {
        for (const piece of clipLine(partOf(j))) {
          const snapped = snap(piece)
          if (snapped.length >= 2) parts.push(flat(snapped))
        }
      }
      if (parts.length) layers.lines!.push({ type: 2, parts, tags, id })
    } else {
      let keepHoles = false
      for (let j = S.partStart[i]!; j < S.partStart[i + 1]!; j++) {
        const outer = S.outer[j] === 1
        if (!outer && !keepHoles) continue
        let ring = partOf(j)
        const last = ring[ring.length - 1]
        if (ring.length > 1 && last![0] === ring[0]![0] && last![1] === ring[0]![1]) ring = ring.slice(0, -1)
        let r = snap(clipRing(ring))
        if (r.length > 1 && r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1]) r = r.slice(0, -1)
        const area = r.length >= 3 ? ringArea2(r) : 0
        // Nothing left of an exterior ring at this zoom: its holes go too.
        if (outer) keepHoles = area !== 0
        if (area === 0) continue
        // MVT 2.1: exterior rings have positive area, holes negative.
        if ((area > 0) !== outer) r.reverse()
        parts.push(flat(r))
      }
      if (parts.length) layers.polygons!.push({ type: 3, parts, tags, id })
    }
  }
}
