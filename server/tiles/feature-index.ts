import { FEATURE_KINDS, RISK_LEVELS } from '../domain/enums.js'
import type { IndexColumns } from './queries.js'
import { mercX, mercY } from './tile-math.js'

/** Risk codes in the index: 0 ungraded, then red (worst) … blue, in RISK_LEVELS order. */
export const RISK_CODES = ['', ...RISK_LEVELS.map((r) => r.code)] as const
export const KIND_CODES = FEATURE_KINDS.map((k) => k.code)
/** A risk level's code in the index (RISK_CODES), and a kind's (KIND_CODES). */
export const RISK_INDEX = new Map<string, number>(RISK_LEVELS.map((r, i) => [r.code, i + 1]))
export const KIND_INDEX = new Map<string, number>(KIND_CODES.map((k, i) => [k, i]))

/** Zoom of the Morton grid the points are sorted by: every tile at z ≤ 16 is one contiguous run. */
export const KEY_ZOOM = 16

/** Spreads the low 16 bits of n to the even bit positions. */
function part1by1(n: number): number {
  n &= 0xffff
  n = (n | (n << 8)) & 0x00ff00ff
  n = (n | (n << 4)) & 0x0f0f0f0f
  n = (n | (n << 2)) & 0x33333333
  n = (n | (n << 1)) & 0x55555555
  return n >>> 0
}

/** Morton (Z-order) code of a tile's x/y at its zoom. */
function morton(x: number, y: number): number {
  return (part1by1(x) | (part1by1(y) << 1)) >>> 0
}

/** The two parts of the index, built and stored apart (in parallel, by two workers). */
export type IndexPart = 'points' | 'shapes'
type Geometries = AsyncIterable<[number, { type: string; coordinates: unknown }]> | Iterable<[number, { type: string; coordinates: unknown }]>

export type PointColumns = {
  key: Uint32Array; mx: Float64Array; my: Float64Array; id: Uint32Array; resource: Uint32Array; kind: Uint8Array; risk: Uint8Array
  /** Impact radius in metres, NaN when there is none. */
  radius: Float64Array
} & Names
/** Names, UTF-8: feature i's is names[nameStart[i]] .. names[nameStart[i+1]-1]. */
type Names = { nameStart: Uint32Array; names: Uint8Array }
export type ShapeColumns = {
  minX: Float64Array; minY: Float64Array; maxX: Float64Array; maxY: Float64Array
  id: Uint32Array; resource: Uint32Array; kind: Uint8Array; risk: Uint8Array
  /** 2 line, 3 polygon. */
  type: Uint8Array
  /** Shape i's parts (lines, or rings) are partStart[i] .. partStart[i+1]-1. */
  partStart: Uint32Array
  /** Part j's vertices are coords[2*vertexStart[j]] .. coords[2*vertexStart[j+1]-1] (Mercator world fractions). */
  vertexStart: Uint32Array
  /** 1 when part j is a polygon's exterior ring. */
  outer: Uint8Array
  coords: Float64Array
} & Names
const POINT_FIELDS = ['key', 'mx', 'my', 'id', 'resource', 'kind', 'risk', 'radius', 'nameStart', 'names'] as const
const SHAPE_FIELDS = ['minX', 'minY', 'maxX', 'maxY', 'id', 'resource', 'kind', 'risk', 'type', 'partStart', 'vertexStart', 'outer', 'coords', 'nameStart', 'names'] as const
const ARRAY_TYPES = {
  key: Uint32Array, mx: Float64Array, my: Float64Array, id: Uint32Array, resource: Uint32Array, kind: Uint8Array, risk: Uint8Array,
  minX: Float64Array, minY: Float64Array, maxX: Float64Array, maxY: Float64Array,
  type: Uint8Array, partStart: Uint32Array, vertexStart: Uint32Array, outer: Uint8Array, coords: Float64Array,
  radius: Float64Array, nameStart: Uint32Array, names: Uint8Array,
} as const

const utf8 = new TextDecoder()

/**
 * The names of features (by id, in the index's order) packed as UTF-8 with their offsets: the byte
 * lengths counted from the UTF-16 code units, then all the names encoded at once (per-name encoding
 * takes several times longer at a million names).
 */
function packNames(ids: ArrayLike<number>, name: string[]): Names {
  const nameStart = new Uint32Array(ids.length + 1)
  const list = new Array<string>(ids.length)
  let bytes = 0
  for (let i = 0; i < ids.length; i++) {
    const s = name[ids[i]!] ?? ''
    list[i] = s
    nameStart[i] = bytes
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k)
      if (c < 0x80) bytes += 1
      else if (c < 0x800) bytes += 2
      else if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length && (s.charCodeAt(k + 1) & 0xfc00) === 0xdc00) { bytes += 4; k++ }
      else bytes += 3 // the rest of the plane, and a lone surrogate (written as U+FFFD)
    }
  }
  nameStart[ids.length] = bytes
  let packed = Buffer.from(list.join(''), 'utf8')
  if (packed.byteLength !== bytes) {
    // Lone surrogates at the ends of two names joined into a pair: encode one by one instead.
    packed = Buffer.alloc(bytes)
    for (let i = 0; i < list.length; i++) packed.write(list[i]!, nameStart[i]!)
  }
  return { nameStart, names: new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength) }
}

/** Feature i's name. */
export function nameAt(n: Names, i: number): string {
  const a = n.nameStart[i]!, b = n.nameStart[i + 1]!
  return a === b ? '' : utf8.decode(n.names.subarray(a, b))
}

const HEADER_BYTES = 512
/** Bumped whenever the serialised layout changes, so an index stored by an older build is not misread. */
export const INDEX_FORMAT = 4

/**
 * Every feature of the database in typed arrays (≈ 50 bytes a point and its name in UTF-8, plus 16 a
 * vertex of lines and polygons): points sorted by a Morton key so a tile's points are one binary search
 * away, lines and polygons by size so the largest are kept first when a low-zoom tile would grow too
 * big. The names are kept too, so that a street-level tile of thousands of features asks the database
 * nothing. A point is a feature whose bbox is a point.
 */
export class FeatureIndex {
  constructor(readonly points: PointColumns, readonly shapes: ShapeColumns) {}

  /** Builds the index from the database's columns (≈ 2.5 s for a million features, mostly reading). */
  static async build(c: IndexColumns, geometries: Geometries): Promise<FeatureIndex> {
    return new FeatureIndex(FeatureIndex.buildPoints(c), await FeatureIndex.buildShapes(c, geometries))
  }

  /** The points of the index, from the columns of the features that are points. */
  static buildPoints(c: IndexColumns): PointColumns {
    let np = 0
    for (let id = 0; id < c.present.length; id++) if (c.present[id] && c.point[id]) np++
    const pid = new Uint32Array(np)
    np = 0
    for (let id = 0; id < c.present.length; id++) if (c.present[id] && c.point[id]) pid[np++] = id

    // Points by Morton key; ids ascend within the input, which breaks ties deterministically. The
    // R*Tree keeps float32 boxes rounded outwards: the middle is within a metre of the point.
    const scale = 2 ** KEY_ZOOM
    const mx = new Float64Array(np)
    const my = new Float64Array(np)
    const keys = new Uint32Array(np)
    for (let i = 0; i < np; i++) {
      const id = pid[i]!
      mx[i] = mercX((c.minX[id]! + c.maxX[id]!) / 2)
      my[i] = mercY((c.minY[id]! + c.maxY[id]!) / 2)
      keys[i] = morton(Math.min(scale - 1, Math.max(0, Math.floor(mx[i]! * scale))), Math.min(scale - 1, Math.max(0, Math.floor(my[i]! * scale))))
    }
    const order = sortedOrder(np, keys)
    const sortedIds = new Uint32Array(np)
    for (let k = 0; k < np; k++) sortedIds[k] = pid[order[k]!]!
    const points: PointColumns = {
      key: new Uint32Array(np), mx: new Float64Array(np), my: new Float64Array(np), id: new Uint32Array(np),
      resource: new Uint32Array(np), kind: new Uint8Array(np), risk: new Uint8Array(np), radius: new Float64Array(np),
      ...packNames(sortedIds, c.name),
    }
    for (let k = 0; k < np; k++) {
      const i = order[k]!
      const id = pid[i]!
      points.key[k] = keys[i]!
      points.mx[k] = mx[i]!
      points.my[k] = my[i]!
      points.id[k] = id
      points.resource[k] = c.resource[id]!
      points.kind[k] = c.kind[id]!
      points.risk[k] = c.risk[id]!
      points.radius[k] = c.radius[id]!
    }

    return points
  }

  /** The lines and polygons of the index, from the columns of the features that are not points and their geometries. */
  static async buildShapes(c: IndexColumns, geometries: Geometries): Promise<ShapeColumns> {
    let ns = 0
    for (let id = 0; id < c.present.length; id++) if (c.present[id] && !c.point[id]) ns++
    const sid = new Uint32Array(ns)
    ns = 0
    for (let id = 0; id < c.present.length; id++) if (c.present[id] && !c.point[id]) sid[ns++] = id
    // Shapes largest first (by bbox half-perimeter), ties by id.
    const sizes = new Float64Array(ns)
    for (let i = 0; i < ns; i++) { const id = sid[i]!; sizes[i] = c.maxX[id]! - c.minX[id]! + (c.maxY[id]! - c.minY[id]!) }
    const byPosition = Array.from({ length: ns }, (_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b)
    const sorder = new Uint32Array(ns)
    for (let i = 0; i < ns; i++) sorder[i] = sid[byPosition[i]!]!
    // Vertices in Mercator, in the same order.
    const rank = new Int32Array(c.present.length).fill(-1)
    for (let i = 0; i < ns; i++) rank[sorder[i]!] = i
    const partsOf: Float64Array[][] = new Array(ns)
    const outerOf: boolean[][] = new Array(ns)
    const typeOf = new Uint8Array(ns)
    const flat = (ring: [number, number][]) => {
      const out = new Float64Array(ring.length * 2)
      for (let k = 0; k < ring.length; k++) {
        out[2 * k] = mercX(ring[k]![0])
        out[2 * k + 1] = mercY(ring[k]![1])
      }
      return out
    }
    for await (const [id, g] of geometries) {
      const i = id < rank.length ? rank[id]! : -1
      if (i < 0) continue
      const lines = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : null
      const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : null
      const parts: Float64Array[] = []
      const outer: boolean[] = []
      if (lines) for (const l of lines as [number, number][][]) { parts.push(flat(l)); outer.push(false) }
      if (polys) for (const poly of polys as [number, number][][][]) poly.forEach((ring, ri) => { parts.push(flat(ring)); outer.push(ri === 0) })
      partsOf[i] = parts
      outerOf[i] = outer
      typeOf[i] = polys ? 3 : 2
    }
    const partStart = new Uint32Array(ns + 1)
    let totalParts = 0
    let totalVertices = 0
    for (let i = 0; i < ns; i++) {
      partStart[i] = totalParts
      for (const part of partsOf[i] ?? []) { totalParts++; totalVertices += part.length / 2 }
    }
    partStart[ns] = totalParts
    const vertexStart = new Uint32Array(totalParts + 1)
    const outer = new Uint8Array(totalParts)
    const coords = new Float64Array(totalVertices * 2)
    let pj = 0
    let v = 0
    for (let i = 0; i < ns; i++) {
      const parts = partsOf[i] ?? []
      for (let k = 0; k < parts.length; k++) {
        vertexStart[pj] = v
        outer[pj] = outerOf[i]![k] ? 1 : 0
        coords.set(parts[k]!, v * 2)
        v += parts[k]!.length / 2
        pj++
      }
    }
    vertexStart[totalParts] = v
    const shapes: ShapeColumns = {
      minX: new Float64Array(ns), minY: new Float64Array(ns), maxX: new Float64Array(ns), maxY: new Float64Array(ns),
      id: Uint32Array.from(sorder), resource: new Uint32Array(ns), kind: new Uint8Array(ns), risk: new Uint8Array(ns),
      type: typeOf, partStart, vertexStart, outer, coords, ...packNames(sorder, c.name),
    }
    for (let i = 0; i < ns; i++) {
      const id = sorder[i]!
      shapes.minX[i] = c.minX[id]!; shapes.minY[i] = c.minY[id]!; shapes.maxX[i] = c.maxX[id]!; shapes.maxY[i] = c.maxY[id]!
      shapes.resource[i] = c.resource[id]!; shapes.kind[i] = c.kind[id]!; shapes.risk[i] = c.risk[id]!
    }
    return shapes
  }

  /** One part of the index (its points, or its lines and polygons) as one buffer: a JSON header with the lengths, then each array 8-byte aligned. */
  static serializePart(part: IndexPart, columns: PointColumns | ShapeColumns): Buffer {
    const fields = part === 'points' ? POINT_FIELDS : SHAPE_FIELDS
    const cols = columns as unknown as Record<string, ArrayBufferView>
    const lengths: Record<string, number> = {}
    for (const f of fields) lengths[f] = (cols[f] as unknown as { length: number }).length
    const parts: Buffer[] = [Buffer.from(JSON.stringify(lengths).padEnd(HEADER_BYTES))]
    for (const f of fields) {
      const a = cols[f]!
      const b = Buffer.from(a.buffer, a.byteOffset, a.byteLength)
      parts.push(b, Buffer.alloc((8 - (b.byteLength % 8)) % 8))
    }
    return Buffer.concat(parts)
  }

  /** Reads a part written by serializePart(). */
  static deserializePart<P extends IndexPart>(part: P, data: Uint8Array): P extends 'points' ? PointColumns : ShapeColumns {
    const fields = part === 'points' ? POINT_FIELDS : SHAPE_FIELDS
    const lengths = JSON.parse(Buffer.from(data.buffer, data.byteOffset, HEADER_BYTES).toString()) as Record<string, number>
    // The arrays are views on the data when it is 8-byte aligned (a worker's answer); a blob read from the
    // database may sit at any offset and is copied into an aligned buffer of its own.
    let buf = data.buffer as ArrayBuffer
    let offset = data.byteOffset + HEADER_BYTES
    if (data.byteOffset % 8 !== 0) {
      buf = new ArrayBuffer(data.byteLength)
      new Uint8Array(buf).set(data)
      offset = HEADER_BYTES
    }
    const out: Record<string, ArrayBufferView> = {}
    for (const f of fields) {
      const T = ARRAY_TYPES[f]
      const n = lengths[f]!
      out[f] = new T(buf, offset, n)
      offset += n * T.BYTES_PER_ELEMENT
      offset += (8 - (offset % 8)) % 8
    }
    return out as unknown as P extends 'points' ? PointColumns : ShapeColumns
  }

  /** Index range [start, end) of the points whose key falls in the tile (z ≤ KEY_ZOOM) or its KEY_ZOOM ancestor. */
  pointRange(z: number, x: number, y: number): [number, number] {
    let zz = z, xx = x, yy = y
    if (z > KEY_ZOOM) {
      zz = KEY_ZOOM
      xx = Math.floor(x / 2 ** (z - KEY_ZOOM))
      yy = Math.floor(y / 2 ** (z - KEY_ZOOM))
    }
    const span = 4 ** (KEY_ZOOM - zz)
    const lo = morton(xx, yy) * span
    return [lowerBound(this.points.key, lo), lowerBound(this.points.key, lo + span)]
  }
}

/** First index whose key is ≥ v. */
function lowerBound(keys: Uint32Array, v: number): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (keys[mid]! < v) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Indices 0..n-1 sorted by key, stable (rows arrive in id order, which breaks ties). Packs key and
 * position into one float64 (key < 2^32, position < 2^21) when that is exact: a million entries sort
 * natively in ~100 ms.
 */
function sortedOrder(n: number, keys: Uint32Array): Uint32Array {
  if (n < 2 ** 21) {
    const packed = new Float64Array(n)
    for (let i = 0; i < n; i++) packed[i] = keys[i]! * 2 ** 21 + i
    packed.sort()
    const order = new Uint32Array(n)
    for (let i = 0; i < n; i++) order[i] = packed[i]! % 2 ** 21
    return order
  }
  return Uint32Array.from(Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b))
}
