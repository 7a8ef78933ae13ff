/**
 * The baseline of `npm run bench`: a bare node:http server answering each tile URL with the same gzip
 * bytes our server sent for it, straight from memory — what serving a tile costs with no framework,
 * no session, no lookup. Started as its own process; prints its URL, then serves until killed.
 *
 *   node --import tsx scripts/bench/bare-server.ts <tiles.json>   ({ "/api/tiles/…": "<base64 gzip>" })
 */
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'

const tiles = new Map(Object.entries(JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64')]))
const server = createServer((req, res) => {
  const body = tiles.get(req.url ?? '')
  if (!body) {
    res.writeHead(404).end()
    return
  }
  res.writeHead(200, { 'content-type': 'application/vnd.mapbox-vector-tile', 'content-encoding': 'gzip', 'content-length': body.length })
  res.end(body)
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  const a = server.address()
  console.log(`bare http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`)
})
