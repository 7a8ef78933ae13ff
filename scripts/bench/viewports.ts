import { createServer } from 'node:net'

/** The XYZ tile containing a lon/lat at zoom z. */
export function tileAt([lon, lat]: [number, number], z: number): { z: number; x: number; y: number } {
  const n = 2 ** z
  const r = (lat * Math.PI) / 180
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n) }
}

/** The 512-px tiles a width×height screen centred on a point needs at zoom z (what MapLibre would request). */
export function viewportTiles(centre: [number, number], z: number, width: number, height: number): { z: number; x: number; y: number }[] {
  const c = tileAt(centre, z)
  const n = 2 ** z
  const rx = Math.ceil(width / 512 / 2)
  const ry = Math.ceil(height / 512 / 2)
  const out: { z: number; x: number; y: number }[] = []
  for (let x = c.x - rx; x <= c.x + rx; x++) for (let y = c.y - ry; y <= c.y + ry; y++) if (x >= 0 && y >= 0 && x < n && y < n) out.push({ z, x, y })
  return out
}

/** A free TCP port on 127.0.0.1. */
export function freePortOn(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address()
      const port = typeof a === 'object' && a ? a.port : 0
      srv.close(() => resolve(port))
    })
  })
}
