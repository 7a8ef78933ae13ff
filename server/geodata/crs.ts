/**
 * The source coordinate system of an import and the conversion to WGS84. GCJ-02 (Amap, Tencent) and
 * BD-09 (Baidu) are converted with gcoord; projected CGCS2000 Gauss-Krüger zones (3° or 6°, read from
 * a .prj or an EPSG code, with or without the zone number in the false easting) with proj4; any other
 * projected .prj proj4 understands is converted too. Geographic CGCS2000 is taken as WGS84: the two
 * differ by centimetres.
 */
import gcoordModule from 'gcoord'
import proj4 from 'proj4'
import { GeodataFileError } from './limits.js'

// gcoord's types describe an ES module but the package is CommonJS: at runtime the default import is its exports object.
const gcoord = gcoordModule as unknown as (typeof gcoordModule)['default']

import type { CrsChoice, CrsUsed } from '../domain/geodata.js'
export { CRS_CHOICES, type CrsChoice, type CrsUsed } from '../domain/geodata.js'

export interface ResolvedCrs {
  requested: CrsChoice
  used: CrsUsed
  label: string
  /** Whether the file itself (a .prj, or a GeoJSON `crs` member) said which system it uses. */
  fromPrj: boolean
  /** Converts one source position to WGS84 [longitude, latitude]. */
  toWgs84: (x: number, y: number) => [number, number]
  /** Said to the user; the converter may add to it while converting. */
  warnings: string[]
}

const LABELS: Record<'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09', string> = {
  wgs84: 'WGS84 经纬度', cgcs2000: 'CGCS2000 经纬度', gcj02: 'GCJ-02（高德、腾讯）', bd09: 'BD-09（百度）',
}

const round = (v: number) => Math.round(v * 1e8) / 1e8
const identity = (x: number, y: number): [number, number] => [x, y]

interface FileCrs { used: CrsUsed; label: string; toWgs84: ResolvedCrs['toWgs84']; warnings: string[] }

/** A transverse Mercator (Gauss-Krüger) zone on the CGCS2000 ellipsoid (GRS80's a and f, to the millimetre). */
function gaussKruger(cm: number, falseEasting: number, label: string, toMetre = 1, scale = 1, falseNorthing = 0): FileCrs {
  const converter = proj4(`+proj=tmerc +lat_0=0 +lon_0=${cm} +k=${scale} +x_0=${falseEasting} +y_0=${falseNorthing} +ellps=GRS80 +units=m +no_defs`, 'WGS84')
  const warnings: string[] = []
  let stripped = false
  const toWgs84 = (x: number, y: number): [number, number] => {
    let e = x * toMetre
    // A .prj without the zone number while the eastings carry it (e.g. 36 560 000): drop the zone prefix.
    if (falseEasting < 1_000_000 && e >= 1_000_000) {
      e -= Math.floor(e / 1_000_000) * 1_000_000
      if (!stripped) { stripped = true; warnings.push('横坐标带有带号前缀而 .prj 未包含带号，已按 .prj 的中央经线去掉带号后转换') }
    }
    const [lon, lat] = converter.forward([e, y * toMetre])
    return [round(lon!), round(lat!)]
  }
  return { used: 'cgcs2000-gk', label, toWgs84, warnings }
}

function parameter(prj: string, name: string): number | null {
  const m = new RegExp(`PARAMETER\\[\\s*"${name}"\\s*,\\s*([-+0-9.eE]+)`, 'i').exec(prj)
  return m ? Number(m[1]) : null
}

/** What a .prj (WKT1, ESRI or OGC flavour) says; throws GeodataFileError for systems that cannot be converted here. */
function crsOfPrj(prj: string): FileCrs {
  const text = prj.trim()
  const projected = /^\s*PROJCS\s*\[/i.test(text) || /^\s*PROJCRS\s*\[/i.test(text)
  if (/Beijing|Xian|Xi'an|Krassowsky|Krasovsky|IAG[ _]?1975/i.test(text)) {
    throw new GeodataFileError('unsupported_crs', '不支持北京 54 或西安 80 坐标系（需要七参数转换）：请先在 GIS 软件中转换为 CGCS2000 或 WGS84 后再导入')
  }
  const cgcs = /CGCS[ _-]?2000|China[ _]Geodetic|China[ _]2000|D_China_2000|\b4490\b/i.test(text)
  if (!projected) {
    if (!/GEOGCS|GEOGCRS|GEODCRS/i.test(text)) throw new GeodataFileError('unsupported_crs', '.prj 文件无法识别：不是 WKT 格式的坐标系定义')
    return cgcs ? { used: 'cgcs2000', label: LABELS.cgcs2000, toWgs84: identity, warnings: [] } : { used: 'wgs84', label: LABELS.wgs84, toWgs84: identity, warnings: [] }
  }
  const name = /^\s*PROJC(?:S|RS)\s*\[\s*"([^"]*)"/i.exec(text)?.[1] ?? '投影坐标系'
  const tm = /PROJECTION\s*\[\s*"(Gauss_Kruger|Transverse_Mercator|Gauss-Kruger)"/i.test(text) || /Gauss|GK_/i.test(name)
  const cm = parameter(text, 'Central_Meridian') ?? parameter(text, 'longitude_of_center')
  if (cgcs && tm && cm !== null) {
    const fe = parameter(text, 'False_Easting') ?? 500000
    // The last UNIT is the projected one (the geographic unit comes first, inside GEOGCS).
    const units = [...text.matchAll(/UNIT\s*\[\s*"[^"]*"\s*,\s*([0-9.eE+-]+)/gi)]
    const toMetre = units.length ? Number(units[units.length - 1]![1]) || 1 : 1
    const width = /6[ _-]?Degree|6度/i.test(name) ? 6 : /3[ _-]?Degree|3度/i.test(name) ? 3 : null
    const zone = fe >= 1_000_000 ? Math.floor(fe / 1_000_000) : null
    const label = `CGCS2000 / ${width ? `${width}-degree ` : ''}Gauss-Kruger ${zone !== null ? `zone ${zone}` : `CM ${cm}E`}`
    return gaussKruger(cm, fe, label, toMetre, parameter(text, 'Scale_Factor') ?? 1, parameter(text, 'False_Northing') ?? 0)
  }
  let converter: proj4.Converter
  try {
    converter = proj4(text, 'WGS84')
  } catch {
    throw new GeodataFileError('unsupported_crs', `不支持 .prj 中的坐标系「${name}」：请转换为 WGS84、CGCS2000 或 CGCS2000 高斯-克吕格投影后再导入`)
  }
  return { used: 'projected', label: name, warnings: [], toWgs84: (x, y) => {
    const [lon, lat] = converter.forward([x, y])
    return [round(lon!), round(lat!)]
  } }
}

/** What an EPSG code (a legacy GeoJSON `crs` member) says, or null for codes not handled here. */
function crsOfEpsg(name: string): FileCrs | null {
  if (/CRS84$/i.test(name)) return { used: 'wgs84', label: LABELS.wgs84, toWgs84: identity, warnings: [] }
  const m = /EPSG:{1,2}(\d+)$/i.exec(name)
  if (!m) return null
  const code = Number(m[1])
  if (code === 4326) return { used: 'wgs84', label: LABELS.wgs84, toWgs84: identity, warnings: [] }
  if (code === 4490) return { used: 'cgcs2000', label: LABELS.cgcs2000, toWgs84: identity, warnings: [] }
  // EPSG 4491–4554: the CGCS2000 Gauss-Krüger zones, 6° then 3°, each with and without the zone number.
  if (code >= 4491 && code <= 4501) { const z = code - 4478; return gaussKruger(6 * z - 3, z * 1e6 + 5e5, `CGCS2000 / 6-degree Gauss-Kruger zone ${z}`) }
  if (code >= 4502 && code <= 4512) { const cm = 75 + 6 * (code - 4502); return gaussKruger(cm, 5e5, `CGCS2000 / 6-degree Gauss-Kruger CM ${cm}E`) }
  if (code >= 4513 && code <= 4533) { const z = code - 4488; return gaussKruger(3 * z, z * 1e6 + 5e5, `CGCS2000 / 3-degree Gauss-Kruger zone ${z}`) }
  if (code >= 4534 && code <= 4554) { const cm = 75 + 3 * (code - 4534); return gaussKruger(cm, 5e5, `CGCS2000 / 3-degree Gauss-Kruger CM ${cm}E`) }
  return null
}

function declared(choice: Exclude<CrsChoice, 'auto'>): FileCrs {
  if (choice === 'gcj02' || choice === 'bd09') {
    const from = choice === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09
    return { used: choice, label: LABELS[choice], warnings: [], toWgs84: (x, y) => {
      const [lon, lat] = gcoord.transform([x, y], from, gcoord.WGS84) as [number, number]
      return [round(lon), round(lat)]
    } }
  }
  return { used: choice, label: LABELS[choice], toWgs84: identity, warnings: [] }
}

const SAME_DATUM = new Set<CrsUsed>(['wgs84', 'cgcs2000'])

/**
 * The coordinate system to read a file in: what its .prj (or GeoJSON `crs`) says, else what the user
 * declared, else WGS84. A declaration that conflicts with the file loses, with a warning.
 */
export function resolveCrs(requested: CrsChoice, prj: string | null, crsName: string | null | undefined): ResolvedCrs {
  const fromFile = prj !== null && prj.trim() !== '' ? crsOfPrj(prj) : crsName ? crsOfEpsg(crsName) : null
  if (fromFile) {
    // The same array the converter adds its own warnings to while converting.
    const warnings = fromFile.warnings
    const conflicts = requested !== 'auto' && requested !== fromFile.used && !(SAME_DATUM.has(requested) && SAME_DATUM.has(fromFile.used))
    if (conflicts) warnings.push(`声明的坐标系 ${LABELS[requested]} 与文件${prj ? '的 .prj ' : '中'}的坐标系「${fromFile.label}」不一致，已按文件的坐标系转换`)
    return { requested, used: fromFile.used, label: fromFile.label, fromPrj: true, toWgs84: fromFile.toWgs84, warnings }
  }
  const d = declared(requested === 'auto' ? 'wgs84' : requested)
  return { requested, used: d.used, label: d.label, fromPrj: false, toWgs84: d.toWgs84, warnings: d.warnings }
}
