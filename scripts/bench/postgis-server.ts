/**
 * The PostGIS side of `npm run bench`: a minimal HTTP tile server, GET /tiles/{z}/{x}/{y}.mvt →
 * ST_AsMVT (POSTGIS_TILE_SQL), gzip-compressed like ours, no tile cache (as pg_tileserv or martin
 * serve by default). Listens on 127.0.0.1 and prints "ready <port>".
 *
 *   node --import tsx scripts/bench/postgis-server.ts <socketDir> <pgPort> <httpPort>
 */
import { createServer } from 'node:http'
import { gzipSync } from 'node:zlib'
import pg from 'pg'
import { shapeBudget } from '../../server/tiles/build-tile.js'
import { POSTGIS_TILE_SQL } from './postgis.js'

const [socketDir, pgPort, httpPort] = process.argv.slice(2)
const pool = new pg.Pool({ host: socketDir, port: Number(pgPort), database: 'atlas', user: 'postgres', max: 4 })
const server = createServer(async (req, res) => {
  const m = /^\/tiles\/(\d+)\/(\d+)\/(\d+)\.mvt$/.exec(req.url ?? '')
  if (!m) {
    res.writeHead(404).end()
    return
  }
  const [z, x, y] = [Number(m[1]), Number(m[2]), Number(m[3])]
  try {
    const r = await pool.query({ name: 'tile', text: POSTGIS_TILE_SQL, values: [z, x, y, shapeBudget(z)] })
    const gz = gzipSync(r.rows[0].tile as Buffer, { level: 5 })
    res.writeHead(200, { 'Content-Type': 'application/vnd.mapbox-vector-tile', 'Content-Encoding': 'gzip' }).end(gz)
  } catch (e) {
    res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(e))
  }
})
server.keepAliveTimeout = 60_000
server.listen(Number(httpPort), '127.0.0.1', () => console.log(`ready ${httpPort}`))
const stop = () => {
  server.close()
  void pool.end().then(() => process.exit(0))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
