/**
 * The hostile-input limits of the geodata import and the error it refuses a file with. A file that
 * cannot be read at all is refused as a whole (400, or 413 for its size); problems of single features
 * are listed in the preview instead.
 */
import { jsonTooDeepAt, xmlTooDeepAt } from '../http/nesting.js'
import { ZipError, type ZipProblem } from '../http/zip.js'

export const GEODATA_LIMITS = {
  /** Upload size (also enforced on the request body). */
  maxFileBytes: 20 * 1024 * 1024,
  maxZipEntries: 50,
  /** Sum of a zip's entries, inflated. */
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxRatio: 200,
  maxFeatures: 100_000,
  maxVertices: 2_000_000,
  maxVerticesPerFeature: 200_000,
  maxColumns: 200,
  /** Problems listed in a preview (all are counted). */
  maxProblemsListed: 1000,
  /** Features drawn on the preview map. */
  maxPreviewFeatures: 5000,
  /**
   * Nesting of arrays and objects in GeoJSON: a MultiPolygon's coordinates inside a FeatureCollection
   * are 7 deep, so 32 leaves room for nested properties; a million brackets would cost the parser
   * memory for every level and overflow the stack of a recursive walker.
   */
  maxJsonDepth: 32,
  /** Nesting of KML elements (folders in folders, multi-geometries). */
  maxXmlDepth: 64,
  /** Heap of the worker that reads and checks one upload (plan.ts): a file that needs more is refused. */
  parserHeapMb: 192,
  /** A file still being read after this long is refused. */
  parseTimeoutMs: 20_000,
} as const

/** A file refused as a whole; the message says why, in Chinese, for the person who uploaded it. */
export class GeodataFileError extends Error {
  constructor(readonly code: string, message: string, readonly status: 400 | 413 = 400) {
    super(message)
    this.name = 'GeodataFileError'
  }
}

const mib = (n: number) => `${Math.round(n / 1024 / 1024)} MB`
const count = (n: number) => n.toLocaleString('zh-CN')

/** The uploader's words for a zip (shapefile or KMZ) the shared reader refused. */
function geodataZipError(p: ZipProblem): GeodataFileError {
  switch (p.kind) {
    case 'not_zip': case 'no_directory': case 'truncated_directory':
      return new GeodataFileError('corrupt_zip', '压缩包已损坏或不完整，无法读取')
    case 'zip64': return new GeodataFileError('corrupt_zip', '不支持 ZIP64 格式的压缩包')
    case 'too_many_entries': return new GeodataFileError('too_many_entries', `压缩包包含 ${p.count} 个文件，超过上限 ${p.limit} 个`)
    case 'unreadable_entry': return new GeodataFileError('corrupt_zip', `压缩包已损坏：文件 ${p.entry} 无法读取`)
    case 'unsupported_method': return new GeodataFileError('corrupt_zip', `压缩包使用了不支持的压缩方式（文件 ${p.entry}）`)
    case 'inflate_failed': return new GeodataFileError('corrupt_zip', `压缩包已损坏：文件 ${p.entry} 解压失败`)
    case 'inflated_past_declared': return new GeodataFileError('zip_bomb', `文件 ${p.entry} 解压后超过其声明的大小，疑似压缩炸弹，已拒绝`)
    case 'total_too_large': return new GeodataFileError('zip_bomb', `压缩包解压后共 ${mib(p.declared)}，超过上限 ${mib(p.limit)}，已拒绝`)
    case 'ratio': return new GeodataFileError('zip_bomb', `压缩包压缩比 ${p.ratio}:1 异常，疑似压缩炸弹，已拒绝`)
  }
}

/** Runs a step of the zip reader, turning its refusals into the import's messages. */
export function zipStep<T>(step: () => T): T {
  try {
    return step()
  } catch (err) {
    if (err instanceof ZipError) throw geodataZipError(err.problem)
    throw err
  }
}

/** Counts vertices as features are read, refusing a feature or a file with too many. */
export class VertexBudget {
  private total = 0
  /** Adds one feature's vertices; `n` is its 1-based number. */
  add(vertices: number, n: number): void {
    if (vertices > GEODATA_LIMITS.maxVerticesPerFeature) {
      throw new GeodataFileError('too_many_vertices', `第 ${n} 个要素有 ${count(vertices)} 个顶点，超过单个要素上限 ${count(GEODATA_LIMITS.maxVerticesPerFeature)} 个`)
    }
    this.total += vertices
    if (this.total > GEODATA_LIMITS.maxVertices) {
      throw new GeodataFileError('too_many_vertices', `文件顶点总数超过上限 ${count(GEODATA_LIMITS.maxVertices)} 个，请拆分后分别导入`)
    }
  }
}

/** Refuses a file with more features than the limit. */
export function assertFeatureCount(n: number): void {
  if (n > GEODATA_LIMITS.maxFeatures) {
    throw new GeodataFileError('too_many_features', `文件包含 ${count(n)} 个要素，超过上限 ${count(GEODATA_LIMITS.maxFeatures)} 个`)
  }
}

/** Refuses a file with more attribute columns than the limit. */
export function assertColumnCount(n: number): void {
  if (n > GEODATA_LIMITS.maxColumns) {
    throw new GeodataFileError('too_many_columns', `文件包含 ${n} 个属性列，超过上限 ${GEODATA_LIMITS.maxColumns} 个`)
  }
}

/** Counts the positions of a GeoJSON-like coordinates array of any depth. */
export function countPositions(coords: unknown): number {
  if (!Array.isArray(coords)) return 0
  if (coords.length > 0 && typeof coords[0] === 'number') return 1
  let n = 0
  for (const c of coords) n += countPositions(c)
  return n
}

/** Refuses GeoJSON that nests deeper than any geometry with its properties needs, before it is parsed. */
export function assertJsonDepth(text: string): void {
  const at = jsonTooDeepAt(text, GEODATA_LIMITS.maxJsonDepth)
  if (at >= 0) throw new GeodataFileError('too_deep', `文件中的数组和对象嵌套超过 ${GEODATA_LIMITS.maxJsonDepth} 层（第 ${count(at + 1)} 个字符处），不是有效的 GeoJSON`)
}

/** Refuses KML that nests elements deeper than any document needs, before it is parsed. */
export function assertXmlDepth(text: string): void {
  const at = xmlTooDeepAt(text, GEODATA_LIMITS.maxXmlDepth)
  if (at >= 0) throw new GeodataFileError('too_deep', `文件中的元素嵌套超过 ${GEODATA_LIMITS.maxXmlDepth} 层（第 ${count(at + 1)} 个字符处），不是有效的 KML`)
}

/** Any failure of reading a file, as the refusal its uploader sees (the parsers throw their own errors too). */
export function fileErrorOf(err: unknown): GeodataFileError {
  if (err instanceof GeodataFileError) return err
  return err instanceof RangeError ? new GeodataFileError('too_deep', '文件结构嵌套过深，无法读取') : new GeodataFileError('not_readable', '文件无法读取，可能已损坏')
}
