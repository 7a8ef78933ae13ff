/**
 * Measures API latency in-process on an existing database (no network in the way), printing medians
 * and 95th percentiles. Build a database first, e.g. a million features:
 *
 *   npm run demo -- --scale 50 --out data/bench.sqlite
 *   node --import tsx scripts/measure-api.ts --db data/bench.sqlite
 */
import { statSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { createApp } from '../server/app.js'
import { openSqlite } from '../server/db/connect.js'
import { Random } from '../server/demo/random.js'
import { requestTimer } from './measure/time-requests.js'
import { measurementSessions } from './measure/session.js'

const { values } = parseArgs({ options: { db: { type: 'string', default: 'data/atlas.sqlite' }, runs: { type: 'string', default: '200' } } })
const runs = Number(values.runs)
const t0 = performance.now()
const db = openSqlite(values.db!)
// As an administrator (sees everything); the sensitivity scope of other roles is measured below.
const sessions = measurementSessions(values.db!, new Date())
const raw = createApp({ db, now: () => new Date(), sessionSecret: sessions.secret })
const as = (cookie: string) => ({ request: (path: string) => raw.request(path, { headers: { cookie } }) })
const app = as(await sessions.cookie('admin'))
const openMs = performance.now() - t0
const features = (db.sqlite.prepare(`SELECT count(*) n FROM features`).get() as { n: number }).n
const [minX, minY, maxX, maxY] = [106.46, 29.58, 106.98, 30.12]
const rng = new Random(7)

const timeIt = requestTimer(app, runs, 5)

/** A viewport of w×h degrees at a random place in the district. */
function viewport(w: number, h: number): string {
  const x = rng.between(minX, maxX - w)
  const y = rng.between(minY, maxY - h)
  return `${x.toFixed(5)},${y.toFixed(5)},${(x + w).toFixed(5)},${(y + h).toFixed(5)}`
}

console.log(`database ${values.db}: ${features} features, ${(statSync(values.db!).size / 1048576).toFixed(0)} MiB, opened in ${openMs.toFixed(0)} ms; ${runs} runs each`)
await timeIt('bbox features, street view (~1.5 km, z15)', () => `/api/features?bbox=${viewport(0.015, 0.012)}`)
await timeIt('bbox features, town view (~5 km, z13), limit 1000', () => `/api/features?bbox=${viewport(0.05, 0.04)}`)
await timeIt('bbox features, town view, lifeline only', () => `/api/features?bbox=${viewport(0.05, 0.04)}&domain=lifeline`)
await timeIt('stats overview', () => '/api/stats/overview')
await timeIt('stats overview, filtered (domain + risk)', () => '/api/stats/overview?domain=public,production&risk=red,orange')
await timeIt('stats risk by kind / district / cell', () => '/api/stats/risk')
await timeIt('stats coverage', () => '/api/stats/coverage')
await timeIt('resources list, text query', () => `/api/resources?q=${encodeURIComponent(rng.pick(['燃气', '监测', '联系电话', '桥梁', '危险化学品']))}`)
await timeIt('catalog search', () => `/api/search?q=${encodeURIComponent(rng.pick(['燃气', '监测', '联系电话', '桥梁', '危险化学品']))}`)

// An analyst of one department sees public, internal and their own department's restricted data: every
// request resolves that scope (the administrator's above does not).
const timeAnalyst = requestTimer(as(await sessions.cookie('analyst', 1)), runs, 5)
await timeAnalyst('analyst: stats overview', () => '/api/stats/overview')
await timeAnalyst('analyst: bbox features, street view', () => `/api/features?bbox=${viewport(0.015, 0.012)}`)
await timeAnalyst('analyst: catalog search', () => `/api/search?q=${encodeURIComponent(rng.pick(['燃气', '监测', '联系电话', '桥梁', '危险化学品']))}`)
await db.close()
