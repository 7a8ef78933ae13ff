/**
 * Well-known text (OGC 06-103r4) to GeoJSON-shaped geometry: POINT, LINESTRING, POLYGON, their MULTI
 * forms and GEOMETRYCOLLECTION, in 2D, Z, M or ZM (only x and y are kept), with an optional EWKT
 * `SRID=…;` prefix. Throws an Error with a Chinese message naming what is wrong.
 */
import type { SourceGeometry } from '../model.js'

const TYPES: Record<string, string> = {
  POINT: 'Point', LINESTRING: 'LineString', POLYGON: 'Polygon', MULTIPOINT: 'MultiPoint',
  MULTILINESTRING: 'MultiLineString', MULTIPOLYGON: 'MultiPolygon', GEOMETRYCOLLECTION: 'GeometryCollection',
}

class Reader {
  private i = 0
  constructor(private readonly s: string) {}

  private skip(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++
  }
  peek(): string {
    this.skip()
    return this.s[this.i] ?? ''
  }
  expect(ch: string): void {
    if (this.peek() !== ch) throw new Error(`WKT 格式错误：第 ${this.i + 1} 个字符处应为「${ch}」`)
    this.i++
  }
  word(): string {
    this.skip()
    const m = /^[A-Za-z]+/.exec(this.s.slice(this.i, this.i + 40))
    if (!m) return ''
    this.i += m[0].length
    return m[0].toUpperCase()
  }
  number(): number {
    this.skip()
    const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(this.s.slice(this.i, this.i + 64))
    if (!m) throw new Error(`WKT 格式错误：第 ${this.i + 1} 个字符处应为数字`)
    this.i += m[0].length
    return Number(m[0])
  }
  end(): boolean {
    this.skip()
    return this.i >= this.s.length
  }
}

/** Parses one WKT geometry. */
export function parseWkt(text: string): SourceGeometry {
  const r = new Reader(text.trim().replace(/^SRID=\d+;/i, ''))
  const g = geometry(r, 0)
  if (!r.end()) throw new Error('WKT 格式错误：几何之后还有多余内容')
  return g
}

function geometry(r: Reader, depth: number): SourceGeometry {
  if (depth > 3) throw new Error('WKT 格式错误：几何集合嵌套过深')
  const word = r.word()
  const type = TYPES[word]
  if (!type) throw new Error(word ? `WKT 格式错误：不支持的几何类型 ${word}` : 'WKT 格式错误：缺少几何类型')
  const mod = r.peek() === '(' ? '' : r.word()
  if (mod === 'Z' || mod === 'M' || mod === 'ZM') { /* extra ordinates are read and dropped below */ }
  else if (mod === 'EMPTY') return type === 'GeometryCollection' ? { type, geometries: [] } : { type, coordinates: [] }
  else if (mod !== '') throw new Error(`WKT 格式错误：无法识别「${mod}」`)
  if (r.peek() !== '(') {
    if (r.word() === 'EMPTY') return type === 'GeometryCollection' ? { type, geometries: [] } : { type, coordinates: [] }
    throw new Error('WKT 格式错误：缺少左括号')
  }
  if (type === 'GeometryCollection') {
    r.expect('(')
    const geometries = [geometry(r, depth + 1)]
    while (r.peek() === ',') { r.expect(','); geometries.push(geometry(r, depth + 1)) }
    r.expect(')')
    return { type, geometries }
  }
  const position = (): number[] => {
    // Z and M ordinates (declared or not) are read and dropped: features are stored in 2D.
    const p = [r.number(), r.number()]
    for (let k = 2; k < 4 && /[-+.\d]/.test(r.peek()); k++) r.number()
    return p
  }
  const list = <T>(item: () => T): T[] => {
    r.expect('(')
    const out = [item()]
    while (r.peek() === ',') { r.expect(','); out.push(item()) }
    r.expect(')')
    return out
  }
  const points = () => list(position)
  switch (type) {
    case 'Point': { r.expect('('); const p = position(); r.expect(')'); return { type, coordinates: p } }
    case 'LineString': return { type, coordinates: points() }
    case 'Polygon': return { type, coordinates: list(points) }
    // MULTIPOINT (1 2, 3 4) and MULTIPOINT ((1 2), (3 4)) are both in use.
    case 'MultiPoint': return { type, coordinates: list(() => {
      if (r.peek() !== '(') return position()
      r.expect('(')
      const p = position()
      r.expect(')')
      return p
    }) }
    case 'MultiLineString': return { type, coordinates: list(points) }
    default: return { type, coordinates: list(() => list(points)) }
  }
}
