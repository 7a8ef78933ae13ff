/**
 * The loopback round-robin proxy of `npm run bench -- --engine postgres`: what nginx does in front of
 * several replicas (deploy/nginx.conf), reduced to its core so the benchmark needs nothing installed.
 * Each request goes to the next upstream in turn over keep-alive connections, streamed both ways.
 * Listens on 127.0.0.1 and prints "ready <port>".
 *
 *   node --import tsx scripts/bench/proxy.ts <port|0> <upstream url> [<upstream url> …]
 */
import { Agent, createServer, request } from 'node:http'

const [portArg, ...upstreams] = process.argv.slice(2)
if (!upstreams.length) throw new Error('usage: proxy.ts <port> <upstream url>…')
const targets = upstreams.map((u) => new URL(u))
const agent = new Agent({ keepAlive: true, maxSockets: 64 })
let next = 0

const server = createServer((req, res) => {
  const target = targets[next++ % targets.length]!
  const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers)
    answer.pipe(res)
  })
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502)
    res.end()
  })
  req.pipe(upstream)
})
server.keepAliveTimeout = 60_000
server.listen(Number(portArg ?? 0), '127.0.0.1', () => {
  const a = server.address()
  console.log(`ready ${typeof a === 'object' && a ? a.port : portArg}`)
})
process.on('SIGTERM', () => process.exit(0))
