/** Where the basemap comes from (the server keeps the choice; see stores/settings.ts). */
export type BasemapType = 'embedded' | 'pmtiles' | 'style' | 'raster'

/** What the server says of an uploaded PMTiles file. */
export interface BasemapFileFacts {
  name: string
  size: number
  tileType: 'mvt' | 'png' | 'jpeg' | 'webp' | 'avif'
  minZoom: number
  maxZoom: number
  uploadedAt: string
}

/** Why an address cannot be the basemap of this kind (as the server checks it), or null. */
export function basemapUrlProblem(type: BasemapType, url: string): string | null {
  if (type !== 'style' && type !== 'raster') return null
  if (!/^(https?:\/\/[^\s]+|\/[^\s]*)$/.test(url)) return '请填写以 http://、https:// 或 / 开头的地址（不含空格）'
  if (type === 'raster' && !/\{z\}.*\{x\}.*\{y\}/.test(url)) return '瓦片地址须依次包含 {z}、{x}、{y}'
  return null
}

const TILE_TYPES: Record<string, string> = { mvt: '矢量瓦片', png: 'PNG 影像', jpeg: 'JPEG 影像', webp: 'WebP 影像', avif: 'AVIF 影像' }

/** One line about an uploaded PMTiles file: name, size, kind of tiles, zoom levels and upload time. */
export function describeBasemapFile(f: BasemapFileFacts): string {
  const size = f.size >= 1024 ** 3 ? `${(f.size / 1024 ** 3).toFixed(2)} GB` : f.size >= 1024 ** 2 ? `${(f.size / 1024 ** 2).toFixed(1)} MB` : `${Math.max(1, Math.round(f.size / 1024))} KB`
  const at = new Date(Date.parse(f.uploadedAt) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
  return `${f.name} · ${size} · ${TILE_TYPES[f.tileType] ?? f.tileType} · 缩放级别 ${f.minZoom}–${f.maxZoom} · 上传于 ${at}`
}
