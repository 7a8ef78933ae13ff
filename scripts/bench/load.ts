/**
 * The load generator of `npm run bench`, run as its own process so it does not share the event loop
 * with the measurements: requests the given tile URLs round-robin from `concurrency` keep-alive
 * connections for `seconds`, then prints {"requests", "errors", "bytes", "seconds"} as JSON.
 *
 *   node --import tsx scripts/bench/load.ts <urls.json> <seconds> <concurrency>
 */
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'

const [file, secondsArg, concurrencyArg] = process.argv.slice(2)
const urls = JSON.parse(readFileSync(file!, 'utf8')) as string[]
const seconds = Number(secondsArg ?? 5)
const concurrency = Number(concurrencyArg ?? 32)
const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
let requests = 0
let errors = 0
let bytes = 0
let next = 0
const deadline = performance.now() + seconds * 1000

function one(): Promise<void> {
  return new Promise((resolve) => {
    const url = urls[next++ % urls.length]!
    const req = request(url, { agent, headers: { 'accept-encoding': 'gzip', cookie: process.env.BENCH_COOKIE ?? '' } }, (res) => {
      res.on('data', (c: Buffer) => (bytes += c.length))
      res.on('end', () => {
        if (res.statusCode === 200) requests++
        else errors++
        resolve()
      })
    })
    req.on('error', () => {
      errors++
      resolve()
    })
    req.end()
  })
}

async function worker(): Promise<void> {
  while (performance.now() < deadline) await one()
}

const t0 = performance.now()
await Promise.all(Array.from({ length: concurrency }, worker))
console.log(JSON.stringify({ requests, errors, bytes, seconds: (performance.now() - t0) / 1000 }))
agent.destroy()
