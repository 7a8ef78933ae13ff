/**
 * The header of a PMTiles (version 3) archive: a fixed 127 bytes at its start, read to check an
 * uploaded basemap before it is offered to browsers, and to tell the map what it holds (vector or
 * image tiles, zoom range, bounds). https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md
 */
export const PMTILES_HEADER_BYTES = 127
/** The root directory must lie within the first 16 KiB (the spec's promise that one read finds it). */
const ROOT_WITHIN = 16_384

export const PMTILES_TILE_TYPES = { 1: 'mvt', 2: 'png', 3: 'jpeg', 4: 'webp', 5: 'avif' } as const
export type PmtilesTileType = (typeof PMTILES_TILE_TYPES)[keyof typeof PMTILES_TILE_TYPES]

export interface PmtilesInfo {
  tileType: PmtilesTileType
  minZoom: number
  maxZoom: number
  /** [west, south, east, north], degrees. */
  bounds: [number, number, number, number]
  center: [number, number]
  centerZoom: number
  addressedTiles: number
}

/** The header's facts, or why the bytes are not a usable PMTiles v3 archive of `size` bytes. */
export function readPmtilesHeader(head: Uint8Array, size: number): PmtilesInfo | { problem: string } {
  if (head.length < PMTILES_HEADER_BYTES) return { problem: '文件太短，不是 PMTiles 文件' }
  if (new TextDecoder().decode(head.subarray(0, 7)) !== 'PMTiles') return { problem: '文件开头不是 PMTiles 标识，不是 PMTiles 文件' }
  if (head[7] !== 3) return { problem: `只支持 PMTiles 第 3 版（此文件为第 ${head[7]} 版），请用 pmtiles convert 转换` }
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength)
  const u64 = (at: number) => Number(v.getBigUint64(at, true))
  const sections = [
    ['根目录', u64(8), u64(16)], ['元数据', u64(24), u64(32)], ['叶目录', u64(40), u64(48)], ['瓦片数据', u64(56), u64(64)],
  ] as const
  for (const [name, offset, length] of sections) {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset + length > size) return { problem: `文件不完整：${name}超出文件末尾（文件可能未上传完整）` }
  }
  if (sections[0][1] + sections[0][2] > ROOT_WITHIN) return { problem: '根目录不在文件开头 16 KB 之内，不符合 PMTiles 规范' }
  if (sections[3][2] === 0) return { problem: '文件中没有瓦片' }
  const tileType = PMTILES_TILE_TYPES[head[99] as keyof typeof PMTILES_TILE_TYPES]
  if (!tileType) return { problem: '瓦片类型未知：只支持矢量瓦片（MVT）或 PNG、JPEG、WebP、AVIF 影像瓦片' }
  const minZoom = head[100]!
  const maxZoom = head[101]!
  if (minZoom > maxZoom || maxZoom > 30) return { problem: `缩放级别无效（${minZoom}–${maxZoom}）` }
  const deg = (at: number) => v.getInt32(at, true) / 1e7
  const bounds: [number, number, number, number] = [deg(102), deg(106), deg(110), deg(114)]
  if (!(bounds[0] >= -180 && bounds[2] <= 180 && bounds[1] >= -90 && bounds[3] <= 90 && bounds[0] <= bounds[2] && bounds[1] <= bounds[3])) {
    return { problem: '范围（bounds）无效' }
  }
  return { tileType, minZoom, maxZoom, bounds, center: [deg(119), deg(123)], centerZoom: head[118]!, addressedTiles: u64(72) }
}
