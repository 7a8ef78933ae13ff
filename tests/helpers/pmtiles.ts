import { encodeMvt } from '../../server/tiles/mvt-encode.js'

/**
 * A small PMTiles v3 archive for tests, written from the specification: one z0 vector tile with the
 * Protomaps basemap's `earth` layer (the whole world) and a `water` square, uncompressed.
 */
function varints(values: number[]): number[] {
  const out: number[] = []
  for (let v of values) {
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80)
      v = Math.floor(v / 128)
    }
    out.push(v)
  }
  return out
}

export function testPmtiles(o: { tileType?: number; bounds?: [number, number, number, number] } = {}): Buffer {
  const extent = 4096
  const tile = Buffer.from(encodeMvt({
    earth: [{ type: 3, parts: [[0, 0, 0, extent, extent, extent, extent, 0]], tags: { kind: 'earth' } }],
    water: [{ type: 3, parts: [[3300, 1600, 3300, 1700, 3400, 1700, 3400, 1600]], tags: { kind: 'ocean' } }],
  }, extent))
  // One entry: tile id 0 (z0), run length 1, its length, offset 0 (+1).
  const directory = Buffer.from(varints([1, 0, 1, tile.length, 1]))
  const metadata = Buffer.from(JSON.stringify({ name: '测试底图', vector_layers: [{ id: 'earth', fields: {} }, { id: 'water', fields: {} }] }))
  const header = Buffer.alloc(127)
  header.write('PMTiles', 0, 'latin1')
  header[7] = 3
  const root = 127
  const meta = root + directory.length
  const data = meta + metadata.length
  const u64 = (at: number, v: number) => header.writeBigUInt64LE(BigInt(v), at)
  u64(8, root); u64(16, directory.length)
  u64(24, meta); u64(32, metadata.length)
  u64(40, data); u64(48, 0)
  u64(56, data); u64(64, tile.length)
  u64(72, 1); u64(80, 1); u64(88, 1)
  header[96] = 1 // clustered
  header[97] = 1 // internal compression: none
  header[98] = 1 // tile compression: none
  header[99] = o.tileType ?? 1 // MVT
  header[100] = 0
  header[101] = 0
  const [w, s, e, n] = o.bounds ?? [-180, -85, 180, 85]
  header.writeInt32LE(Math.round(w * 1e7), 102)
  header.writeInt32LE(Math.round(s * 1e7), 106)
  header.writeInt32LE(Math.round(e * 1e7), 110)
  header.writeInt32LE(Math.round(n * 1e7), 114)
  header[118] = 0
  header.writeInt32LE(Math.round(106.6 * 1e7), 119)
  header.writeInt32LE(Math.round(29.7 * 1e7), 123)
  return Buffer.concat([header, directory, metadata, tile])
}
