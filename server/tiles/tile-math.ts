/**
 * Web Mercator tile arithmetic (XYZ scheme, as MapLibre requests tiles) and the projection of
 * geometries into a tile's integer coordinates (MVT 2.1: extent 4096, y down, clipped with a buffer).
 */

/** Tile coordinate units per tile side (MVT default). */
export const EXTENT = 4096
/** Units outside the tile kept when clipping, so lines and fills join without seams. */
export const BUFFER = 64
/** Deepest zoom served; MapLibre overzooms beyond it. */
export const MAX_TILE_ZOOM = 22

export type Position = [number, number]

/** Longitude → x as a fraction of the world (0 at 180°W, 1 at 180°E). */
export function mercX(lon: number): number {
  return (lon + 180) / 360
}

/** Latitude → y as a fraction of the world (0 at the top, 1 at the bottom), clamped to Mercator's range. */
export function mercY(lat: number): number {
  const s = Math.sin((Math.max(-85.0511287798, Math.min(85.0511287798, lat)) * Math.PI) / 180)
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)
}

/** World fraction → longitude. */
function lonOf(x: number): number {
  return x * 360 - 180
}

/** World fraction → latitude. */
function latOf(y: number): number {
  return (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI
}

/** Whether z/x/y names a tile that exists. */
export function isValidTile(z: number, x: number, y: number): boolean {
  if (!Number.isInteger(z) || !Number.isInteger(x) || !Number.isInteger(y)) return false
  if (z < 0 || z > MAX_TILE_ZOOM) return false
  const n = 2 ** z
  return x >= 0 && x < n && y >= 0 && y < n
}

/** A tile's bounds in degrees [west, south, east, north], widened by `bufferUnits` tile units on every side. */
export function tileBounds(z: number, x: number, y: number, bufferUnits = 0): [number, number, number, number] {
  const n = 2 ** z
  const pad = bufferUnits / EXTENT
  return [lonOf((x - pad) / n), latOf(Math.min(n, y + 1 + pad) / n), lonOf((x + 1 + pad) / n), latOf(Math.max(0, y - pad) / n)]
}

const LO = -BUFFER
const HI = EXTENT + BUFFER

/** Clips a projected line to the buffered tile square; returns the pieces that lie inside (Liang–Barsky per segment). */
export function clipLine(line: Position[]): Position[][] {
  const pieces: Position[][] = []
  let current: Position[] = []
  for (let i = 0; i + 1 < line.length; i++) {
    const seg = clipSegment(line[i]!, line[i + 1]!)
    if (!seg) {
      if (current.length) pieces.push(current)
      current = []
      continue
    }
    const [a, b] = seg
    const last = current[current.length - 1]
    if (!last || last[0] !== a[0] || last[1] !== a[1]) {
      if (current.length) pieces.push(current)
      current = [a]
    }
    current.push(b)
    // The segment left the square: the next one starts a new piece.
    if (b[0] !== line[i + 1]![0] || b[1] !== line[i + 1]![1]) {
      pieces.push(current)
      current = []
    }
  }
  if (current.length) pieces.push(current)
  return pieces
}

function clipSegment(a: Position, b: Position): [Position, Position] | null {
  let t0 = 0
  let t1 = 1
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  // The four edges as (p, q) pairs of Liang–Barsky, unrolled: no closures in this hot path.
  const ps = [-dx, dx, -dy, dy]
  const qs = [a[0] - LO, HI - a[0], a[1] - LO, HI - a[1]]
  for (let k = 0; k < 4; k++) {
    const p = ps[k]!
    const q = qs[k]!
    if (p === 0) {
      if (q < 0) return null
      continue
    }
    const r = q / p
    if (p < 0) {
      if (r > t1) return null
      if (r > t0) t0 = r
    } else {
      if (r < t0) return null
      if (r < t1) t1 = r
    }
  }
  const start: Position = t0 === 0 ? a : [a[0] + t0 * dx, a[1] + t0 * dy]
  const end: Position = t1 === 1 ? b : [a[0] + t1 * dx, a[1] + t1 * dy]
  return [start, end]
}

/** Whether a projected bbox lies inside the buffered tile square (then nothing needs clipping). */
export function insideBuffered(minX: number, minY: number, maxX: number, maxY: number): boolean {
  return minX >= LO && maxX <= HI && minY >= LO && maxY <= HI
}

/** Clips a projected ring to the buffered tile square (Sutherland–Hodgman). */
export function clipRing(ring: Position[]): Position[] {
  let out = ring
  const planes: [axis: 0 | 1, bound: number, keepAbove: boolean][] = [[0, LO, true], [0, HI, false], [1, LO, true], [1, HI, false]]
  for (const [axis, bound, keepAbove] of planes) {
    if (out.length === 0) break
    const input = out
    out = []
    const inside = (p: Position) => (keepAbove ? p[axis] >= bound : p[axis] <= bound)
    for (let i = 0; i < input.length; i++) {
      const cur = input[i]!
      const prev = input[(i + input.length - 1) % input.length]!
      const cin = inside(cur)
      const pin = inside(prev)
      if (cin !== pin) {
        const t = (bound - prev[axis]) / (cur[axis] - prev[axis])
        out.push([prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])])
      }
      if (cin) out.push(cur)
    }
  }
  return out
}

/** Rounds to integer tile units and drops repeated vertices. */
export function snap(points: Position[]): Position[] {
  const out: Position[] = []
  for (const p of points) {
    const q: Position = [Math.round(p[0]), Math.round(p[1])]
    const last = out[out.length - 1]
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q)
  }
  return out
}

/** Twice the signed area of a ring in tile units by the surveyor's formula; MVT 2.1 exterior rings are positive. */
export function ringArea2(ring: Position[]): number {
  let s = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += ring[j]![0] * ring[i]![1] - ring[i]![0] * ring[j]![1]
  return s
}
