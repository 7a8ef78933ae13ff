/**
 * Zipped ESRI shapefiles (ESRI Shapefile Technical Description, 1998): the .shp geometries, the .dbf
 * attributes (dBase III) in the encoding of the .cpg or the one detected, and the .prj passed on for
 * the coordinate system. Every length the file declares is checked against the bytes it has before
 * anything is allocated, so a lying header is refused instead of read past.
 */
import { assertZipTotals, inflateZipEntry, readZipDirectory, type ZipEntry } from '../../http/zip.js'
import { GEODATA_LIMITS, GeodataFileError, VertexBudget, assertColumnCount, assertFeatureCount, zipStep } from '../limits.js'
import type { AttributeValue, SourceFeature, SourceFile, SourceGeometry } from '../model.js'
import { chooseEncoding, decode, encodingOfCpg, type EncodingChoice } from '../text.js'

type Pos = [number, number]

const corrupt = (message: string) => new GeodataFileError('corrupt_shapefile', `.shp 文件已损坏：${message}`)

/** Shoelace sum: positive for a clockwise ring (the shapefile's outer rings), negative for a hole. */
function clockwise(ring: Pos[]): boolean {
  let s = 0
  for (let i = 0; i + 1 < ring.length; i++) s += (ring[i + 1]![0] - ring[i]![0]) * (ring[i + 1]![1] + ring[i]![1])
  return s > 0
}

function inRing(p: Pos, ring: Pos[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!, [xj, yj] = ring[j]!
    if ((yi > p[1]) !== (yj > p[1]) && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Groups a shapefile polygon's rings: each clockwise ring starts a polygon, counter-clockwise rings are holes of the one containing them. */
function polygonOf(rings: Pos[][]): SourceGeometry {
  const outers: Pos[][][] = []
  const holes: Pos[][] = []
  for (const r of rings) (clockwise(r) ? outers.push([r]) : holes.push(r))
  // Writers that ignore the orientation rule: every ring is a polygon of its own.
  if (outers.length === 0) return rings.length === 1 ? { type: 'Polygon', coordinates: rings } : { type: 'MultiPolygon', coordinates: rings.map((r) => [r]) }
  for (const h of holes) {
    const owner = outers.find((o) => h[0] && inRing(h[0], o[0]!)) ?? outers[outers.length - 1]!
    owner.push(h)
  }
  // RFC 7946 orientation: outer rings counter-clockwise, holes clockwise.
  const oriented = outers.map((p) => p.map((r, i) => (i === 0 ? [...r].reverse() : r)))
  return oriented.length === 1 ? { type: 'Polygon', coordinates: oriented[0] } : { type: 'MultiPolygon', coordinates: oriented }
}

/** Reads the geometries of a .shp. */
function readShp(shp: Buffer): SourceGeometry[] {
  if (shp.length < 100 || shp.readInt32BE(0) !== 9994) throw corrupt('文件头无效')
  const declaredLength = shp.readInt32BE(24) * 2
  if (declaredLength > shp.length) throw corrupt(`文件头声明长度 ${declaredLength} 字节，实际只有 ${shp.length} 字节`)
  const out: SourceGeometry[] = []
  const budget = new VertexBudget()
  let p = 100
  while (p + 8 <= declaredLength) {
    const n = out.length + 1
    const length = shp.readInt32BE(p + 4) * 2
    const start = p + 8
    if (length < 4 || start + length > declaredLength) throw corrupt(`第 ${n} 条记录声明长度 ${length} 字节，超出文件范围`)
    const type = shp.readInt32LE(start)
    const need = (bytes: number) => { if (bytes > length) throw corrupt(`第 ${n} 条记录长度 ${length} 字节，不足以容纳其声明的内容（${bytes} 字节）`) }
    const xy = (at: number): Pos => [shp.readDoubleLE(at), shp.readDoubleLE(at + 8)]
    const base = type === 31 ? -1 : type % 10
    if (type === 0) {
      out.push({ type: 'Null' })
    } else if (base === 1) {
      need(20)
      budget.add(1, n)
      out.push({ type: 'Point', coordinates: xy(start + 4) })
    } else if (base === 8) {
      need(40)
      const count = shp.readInt32LE(start + 36)
      if (count < 0) throw corrupt(`第 ${n} 条记录的点数无效`)
      budget.add(count, n)
      need(40 + 16 * count)
      const pts = Array.from({ length: count }, (_, i) => xy(start + 40 + 16 * i))
      out.push({ type: 'MultiPoint', coordinates: pts })
    } else if (base === 3 || base === 5) {
      need(44)
      const parts = shp.readInt32LE(start + 36)
      const points = shp.readInt32LE(start + 40)
      if (parts < 0 || points < 0 || parts > points) throw corrupt(`第 ${n} 条记录的部件数或点数无效`)
      budget.add(points, n)
      need(44 + 4 * parts + 16 * points)
      const starts = Array.from({ length: parts }, (_, i) => shp.readInt32LE(start + 44 + 4 * i))
      const at = start + 44 + 4 * parts
      const lines: Pos[][] = []
      for (let i = 0; i < parts; i++) {
        const from = starts[i]!, to = i + 1 < parts ? starts[i + 1]! : points
        if (from < 0 || to > points || from >= to) throw corrupt(`第 ${n} 条记录的部件索引无效`)
        lines.push(Array.from({ length: to - from }, (_, k) => xy(at + 16 * (from + k))))
      }
      if (lines.length === 0) out.push({ type: base === 3 ? 'LineString' : 'Polygon', coordinates: [] })
      else if (base === 3) out.push(lines.length === 1 ? { type: 'LineString', coordinates: lines[0] } : { type: 'MultiLineString', coordinates: lines })
      else out.push(polygonOf(lines))
    } else {
      out.push({ type: `ShapeType${type}` })
    }
    p = start + length
    if (out.length > GEODATA_LIMITS.maxFeatures) assertFeatureCount(out.length)
  }
  return out
}

/** Reads the attribute table of a .dbf (dBase III): column names and one record per shape. */
function readDbf(dbf: Buffer, encoding: 'utf-8' | 'gbk'): { columns: string[]; records: Record<string, AttributeValue>[] } {
  const bad = (m: string) => new GeodataFileError('corrupt_dbf', `.dbf 文件已损坏：${m}`)
  if (dbf.length < 32) throw bad('文件头不完整')
  const count = dbf.readUInt32LE(4)
  const headerLength = dbf.readUInt16LE(8)
  const recordLength = dbf.readUInt16LE(10)
  if (headerLength < 33 || headerLength > dbf.length) throw bad('文件头长度无效')
  const fields: { name: string; type: string; offset: number; length: number }[] = []
  let offset = 1
  for (let p = 32; p + 32 <= headerLength && dbf[p] !== 0x0d; p += 32) {
    const raw = dbf.subarray(p, p + 11)
    const end = raw.indexOf(0)
    const name = decode(end < 0 ? raw : raw.subarray(0, end), encoding).trim() || `列${fields.length + 1}`
    const length = dbf[p + 16]!
    fields.push({ name, type: String.fromCharCode(dbf[p + 11]!), offset, length })
    offset += length
    if (fields.length > GEODATA_LIMITS.maxColumns) assertColumnCount(fields.length)
  }
  if (offset > recordLength) throw bad('字段长度之和超过记录长度')
  assertFeatureCount(count)
  if (headerLength + count * recordLength > dbf.length) throw bad(`声明 ${count} 条记录，但文件长度不足`)
  const records: Record<string, AttributeValue>[] = []
  for (let i = 0; i < count; i++) {
    const at = headerLength + i * recordLength
    const rec: Record<string, AttributeValue> = {}
    for (const f of fields) {
      const bytes = dbf.subarray(at + f.offset, at + f.offset + f.length)
      const text = (f.type === 'C' || f.type === 'M' ? decode(bytes, encoding) : bytes.toString('latin1')).replace(/\0+$/, '').trim()
      let v: AttributeValue = text === '' ? null : text
      if (v !== null && (f.type === 'N' || f.type === 'F')) v = Number.isFinite(Number(text)) ? Number(text) : null
      else if (v !== null && f.type === 'L') v = /^[TtYy]$/.test(text) ? true : /^[FfNn]$/.test(text) ? false : null
      else if (v !== null && f.type === 'D' && /^\d{8}$/.test(text)) v = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6)}`
      rec[f.name] = v
    }
    records.push(rec)
  }
  return { columns: fields.map((f) => f.name), records }
}

/** The .dbf's language driver byte names GBK (code page 936). */
const LDID_GBK = 0x4d

/** Reads a zipped shapefile: the first .shp and the .dbf, .prj and .cpg of the same name. */
export function readShapefileZip(bytes: Buffer, encodingChoice: EncodingChoice): SourceFile {
  const entries = zipStep(() => readZipDirectory(bytes, { maxEntries: GEODATA_LIMITS.maxZipEntries }))
  zipStep(() => assertZipTotals(entries, GEODATA_LIMITS))
  const files = entries.filter((e) => !e.name.startsWith('__MACOSX/') && !e.name.endsWith('/'))
  const shps = files.filter((e) => /\.shp$/i.test(e.name))
  const shpEntry = shps[0]
  if (!shpEntry) {
    const kml = files.some((e) => /\.kml$/i.test(e.name))
    throw new GeodataFileError('no_shp', kml ? '压缩包中没有 .shp 文件；KML 压缩包请以 .kmz 上传' : '压缩包中没有 .shp 文件：请将 .shp、.shx、.dbf、.prj（及 .cpg）一起压缩后上传')
  }
  const warnings: string[] = []
  if (shps.length > 1) warnings.push(`压缩包中有 ${shps.length} 个图层，仅读取第一个：${shpEntry.name}`)
  const stem = shpEntry.name.slice(0, -4).toLowerCase()
  const sibling = (ext: string): ZipEntry | undefined => files.find((e) => e.name.toLowerCase() === `${stem}.${ext}`)
  const read = (e: ZipEntry) => zipStep(() => inflateZipEntry(bytes, e))
  const geometries = readShp(read(shpEntry))
  const dbfEntry = sibling('dbf')
  const prjEntry = sibling('prj')
  const cpgEntry = sibling('cpg')
  let columns: string[] = []
  let records: Record<string, AttributeValue>[] = []
  let encoding: 'utf-8' | 'gbk' | null = null
  if (dbfEntry) {
    const dbf = read(dbfEntry)
    const hint = cpgEntry ? encodingOfCpg(read(cpgEntry).toString('latin1')) : dbf.length > 29 && dbf[29] === LDID_GBK ? 'gbk' : null
    // Without a hint: UTF-8 only when the whole table (names and records) decodes as UTF-8.
    encoding = chooseEncoding(dbf.subarray(32), encodingChoice, hint)
    ;({ columns, records } = readDbf(dbf, encoding))
    if (records.length !== geometries.length) warnings.push(`.dbf 有 ${records.length} 条记录，.shp 有 ${geometries.length} 个几何，按顺序对应`)
  } else {
    warnings.push('压缩包中没有 .dbf 文件：要素没有属性')
  }
  const features: SourceFeature[] = geometries.map((g, i) => {
    const attributes = records[i] ?? {}
    if (g.type === 'Null') return { geometry: null, geometryProblem: '几何为空', attributes }
    if (g.type.startsWith('ShapeType')) return { geometry: null, geometryProblem: `不支持的 shapefile 几何类型 ${g.type.slice(9)}`, attributes }
    return { geometry: g, attributes }
  })
  return { format: 'shapefile', features, columns, prj: prjEntry ? read(prjEntry).toString('utf8') : null, encoding, warnings }
}
