/**
 * Measures the latency of the supervision and analysis APIs in-process on an existing database,
 * printing medians and 95th percentiles. The clock is the demo's "generated at" moment when there is one.
 *
 *   node --import tsx scripts/measure-analyses.ts --db data/atlas.sqlite
 *   npm run demo -- --scale 50 --out /tmp/atlas-1m.sqlite && node --import tsx scripts/measure-analyses.ts --db /tmp/atlas-1m.sqlite
 *
 * The database is opened as the server opens it (exports are audited, so it is written to) and never migrated.
 */
import { statSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { createApp } from '../server/app.js'
import { measurementSessions } from './measure/session.js'
import { openSqlite, type Db } from '../server/db/connect.js'
import { Random } from '../server/demo/random.js'
import { requestTimer } from './measure/time-requests.js'

const { values } = parseArgs({ options: { db: { type: 'string', default: 'data/atlas.sqlite' }, runs: { type: 'string', default: '50' } } })
const runs = Number(values.runs)
const db: Db = openSqlite(values.db!)
const sqlite = db.sqlite
const demo = sqlite.prepare(`SELECT value FROM meta WHERE key = 'demo'`).get() as { value: string } | undefined
const now = demo ? new Date(JSON.parse(demo.value).generatedAt as string) : new Date()
const sessions = measurementSessions(values.db!, now)
const raw = createApp({ db, now: () => now, sessionSecret: sessions.secret })
const cookie = await sessions.cookie('admin')
const app = { request: (path: string) => raw.request(path, { headers: { cookie } }) }
const features = (sqlite.prepare(`SELECT count(*) n FROM features`).get() as { n: number }).n
const hazards = (sqlite.prepare(`SELECT id FROM features WHERE kind = 'hazard-source' ORDER BY id LIMIT 2000`).all() as { id: number }[]).map((r) => r.id)
const rng = new Random(11)

const timeIt = requestTimer(app, runs, 3)

console.log(`database ${values.db}: ${features} features, ${(statSync(values.db!).size / 1048576).toFixed(0)} MiB; clock ${now.toISOString()}; ${runs} runs each`)
await timeIt('supervision freshness (+12-month trend)', () => '/api/supervision/freshness')
await timeIt('supervision 督办清单 xlsx, one department', () => `/api/supervision/chase-list.xlsx?department=${rng.int(1, 13)}`)
await timeIt('coverage matrix', () => '/api/analysis/coverage')
await timeIt('one-source conflicts', () => '/api/analysis/conflicts')
await timeIt('sharing gaps', () => '/api/analysis/sharing')
await timeIt('spatial coverage, one kind', () => `/api/analysis/spatial?kind=${rng.pick(['risk-point', 'hazard-source', 'monitoring-point', 'emergency-resource'])}`)
await timeIt('spatial coverage, one domain', () => `/api/analysis/spatial?domain=${rng.pick(['lifeline', 'public', 'production', 'natural'])}`)
await timeIt('surroundings of a hazard source', () => `/api/analysis/surroundings?feature=${rng.pick(hazards)}`)
await timeIt('surroundings of a point, 1 km', () => `/api/analysis/surroundings?lon=${rng.between(106.5, 106.8).toFixed(5)}&lat=${rng.between(29.65, 29.95).toFixed(5)}&radius=1000`)
await db.close()
