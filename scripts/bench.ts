/**
 * The benchmark: generates the demo city at a scale, starts our server as a child process
 * on 127.0.0.1 and measures tiles (p50/p95/p99 per zoom, cold and warm, over seeded random viewports
 * around the dense centre and at the edges), bbox GeoJSON, statistics, catalog search, tiles/s under
 * load from a second process, RSS, start-up time and database size; then the same tiles from
 * PostgreSQL + PostGIS (ST_AsMVT, GiST) through a minimal HTTP server, with both sides' tiles decoded
 * and their feature counts compared. The PostGIS part is skipped when PostgreSQL is not installed.
 *
 *   npm run bench -- [--scale 50] [--catalog-scale 1] [--viewports 6] [--load-seconds 8] [--no-postgis] [--db file] [--keep]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { REPO_ROOT } from '../server/config.js'
import { freePortOn, viewportTiles } from './bench/viewports.js'
import { agent, defaultHeaders, get, percentiles } from './bench/http.js'
import { benchSession } from './bench/session.js'
import { loadFeatures, postgresBin, startCluster } from './bench/postgis.js'
import { Random } from '../server/demo/random.js'

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '50' },
    'catalog-scale': { type: 'string', default: '1' },
    viewports: { type: 'string', default: '6' },
    'load-seconds': { type: 'string', default: '8' },
    'min-zoom': { type: 'string', default: '8' },
    'max-zoom': { type: 'string', default: '16' },
    'no-postgis': { type: 'boolean', default: false },
    db: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
})
const scale = Number(values.scale)
const catalogScale = Number(values['catalog-scale'])
const viewportsPerZoom = Number(values.viewports)
const loadSeconds = Number(values['load-seconds'])
const zooms = Array.from({ length: Number(values['max-zoom']) - Number(values['min-zoom']) + 1 }, (_, i) => Number(values['min-zoom']) + i)
const node = process.execPath
const children: ChildProcess[] = []
const cleanups: (() => void)[] = []
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  for (const f of cleanups) f()
})

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '–')
const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`

// 1. Data.
const workDir = mkdtempSync(join(tmpdir(), 'atlas-bench-'))
cleanups.push(() => { if (!values.keep) rmSync(workDir, { recursive: true, force: true }) })
const dbFile = values.db ?? join(workDir, `atlas-${scale}.sqlite`)
if (!existsSync(dbFile)) {
  const t0 = performance.now()
  const r = spawnSync(node, ['--import', 'tsx', 'scripts/generate-demo.ts', '--scale', String(scale), '--catalog-scale', String(catalogScale),
    '--now', '2026-11-21T02:00:00Z', '--out', dbFile], { cwd: REPO_ROOT, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`demo generation failed:\n${r.stderr}`)
  console.log(r.stdout.trim())
  console.log(`  generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}
const dbBytes = ['', '-wal'].reduce((s, suf) => s + (existsSync(dbFile + suf) ? statSync(dbFile + suf).size : 0), 0)

// 2. Our server, started on the existing database.
async function startOurs(): Promise<{ url: string; child: ChildProcess; readyMs: number }> {
  const t0 = performance.now()
  const child = spawn(node, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    // Port 0: the system picks a free one and the server prints it (no race with other servers starting).
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: dbFile, DEMO: 'off', TILE_PREBUILD: 'off', WEB_ROOT: join(workDir, 'no-web') },
  })
  children.push(child)
  let log = ''
  child.stdout!.on('data', (d: Buffer) => (log += d))
  child.stderr!.on('data', (d: Buffer) => (log += d))
  let url = ''
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${log}`)
    url ||= /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1] ?? ''
    if (url) {
      try {
        if ((await get(`${url}/api/meta`)).status === 200) break
      } catch { /* not answering yet */ }
    }
    await new Promise((r) => setTimeout(r, 25))
  }
  return { url, child, readyMs: performance.now() - t0 }
}
const ours = await startOurs()
defaultHeaders.cookie = await benchSession(dbFile, ours.url)
const rssOf = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return { rss: Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024, peak: Number(/VmHWM:\s+(\d+)/.exec(status)![1]) * 1024 }
}
const firstTile = await get(`${ours.url}/api/tiles/16/0/0.mvt`)

// 3. Viewports: seeded, two in three around the dense centre, one in three anywhere up to the edges.
const rng = new Random(20221117)
const tilesByZoom = new Map<number, { z: number; x: number; y: number }[]>()
for (const z of zooms) {
  const seen = new Map<string, { z: number; x: number; y: number }>()
  for (let v = 0; v < viewportsPerZoom; v++) {
    const centre: [number, number] = rng.chance(2 / 3)
      ? [106.63 + rng.normal() * 0.03, 29.72 + rng.normal() * 0.03]
      : [rng.between(106.46, 106.98), rng.between(29.58, 30.12)]
    for (const t of viewportTiles(centre, z, 1920, 1080)) seen.set(`${t.z}/${t.x}/${t.y}`, t)
  }
  tilesByZoom.set(z, [...seen.values()])
}

interface Side { cold: Map<number, number[]>; warm: Map<number, number[]>; counts: Map<string, Record<string, number>>; maxBytes: number; gzBytes: number[] }
const countLayers = (body: Buffer) => {
  const vt = new VectorTile(new PbfReader(body))
  return Object.fromEntries(Object.entries(vt.layers).map(([k, l]) => [k, l.length]))
}
async function measureTiles(base: string, path: (t: { z: number; x: number; y: number }) => string): Promise<Side> {
  const side: Side = { cold: new Map(), warm: new Map(), counts: new Map(), maxBytes: 0, gzBytes: [] }
  for (const z of zooms) {
    const cold: number[] = []
    const warm: number[] = []
    for (const t of tilesByZoom.get(z)!) {
      const r = await get(base + path(t))
      if (r.status !== 200) throw new Error(`${base}${path(t)} → ${r.status}: ${r.body.toString().slice(0, 300)}`)
      cold.push(r.ms)
      side.maxBytes = Math.max(side.maxBytes, r.body.length)
      side.counts.set(`${t.z}/${t.x}/${t.y}`, countLayers(r.body))
    }
    for (let rep = 0; rep < 3; rep++) for (const t of tilesByZoom.get(z)!) warm.push((await get(base + path(t))).ms)
    side.cold.set(z, cold)
    side.warm.set(z, warm)
  }
  return side
}
const oursTiles = await measureTiles(ours.url, (t) => `/api/tiles/${t.z}/${t.x}/${t.y}.mvt`)

// 4. The other endpoints.
async function timeEndpoint(paths: () => string, runs = 60): Promise<ReturnType<typeof percentiles>> {
  for (let i = 0; i < 3; i++) await get(ours.url + paths())
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const r = await get(ours.url + paths())
    if (r.status !== 200) throw new Error(`${paths()} → ${r.status}`)
    ms.push(r.ms)
  }
  return percentiles(ms)
}
const box = (w: number) => {
  const x = 106.63 + rng.normal() * 0.03
  const y = 29.72 + rng.normal() * 0.03
  return `${(x - w / 2).toFixed(5)},${(y - w / 2).toFixed(5)},${(x + w / 2).toFixed(5)},${(y + w / 2).toFixed(5)}`
}
const terms = ['燃气', '监测', '联系电话', '桥梁', '危险化学品', '管网', '名称']
const others: [string, ReturnType<typeof percentiles>][] = [
  ['bbox GeoJSON, street (~1.5 km), limit 1000', await timeEndpoint(() => `/api/features?bbox=${box(0.015)}&limit=1000`)],
  ['stats overview', await timeEndpoint(() => '/api/stats/overview')],
  ['stats overview, filtered (domain + risk)', await timeEndpoint(() => `/api/stats/overview?domain=${rng.pick(['public', 'production', 'lifeline', 'natural'])}&risk=red,orange`)],
  ['stats risk, filtered (department)', await timeEndpoint(() => `/api/stats/risk?department=${rng.int(1, 13)}`)],
  ['catalog search', await timeEndpoint(() => `/api/search?q=${encodeURIComponent(rng.pick(terms))}`)],
]

// 5. Load from a second process over loopback, warm tiles.
const warmUrls = zooms.flatMap((z) => tilesByZoom.get(z)!.map((t) => `${ours.url}/api/tiles/${t.z}/${t.x}/${t.y}.mvt`))
const urlFile = join(workDir, 'urls.json')
writeFileSync(urlFile, JSON.stringify(warmUrls))
const load = spawnSync(node, ['--import', 'tsx', 'scripts/bench/load.ts', urlFile, String(loadSeconds), '32'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, BENCH_COOKIE: defaultHeaders.cookie } })
const loadResult = JSON.parse(load.stdout.trim().split('\n').pop()!) as { requests: number; errors: number; bytes: number; seconds: number }
const mem = rssOf(ours.child.pid!)
ours.child.kill('SIGTERM')

// 6. PostGIS.
let pgSide: Side | null = null
let pgInfo = ''
const bin = values['no-postgis'] ? null : postgresBin()
if (!bin) {
  console.log(values['no-postgis'] ? '\nPostGIS comparison skipped (--no-postgis).' : '\nPostGIS comparison skipped: PostgreSQL is not installed (apt-get install postgresql postgis).')
} else {
  const cluster = startCluster(bin)
  cleanups.push(cluster.stop)
  const loaded = await loadFeatures(cluster, dbFile)
  const port = await freePortOn()
  const child = spawn(node, ['--import', 'tsx', 'scripts/bench/postgis-server.ts', cluster.socketDir, String(cluster.port), String(port)],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()))
  pgSide = await measureTiles(`http://127.0.0.1:${port}`, (t) => `/tiles/${t.z}/${t.x}/${t.y}.mvt`)
  child.kill('SIGTERM')
  const pgSize = Number(spawnSync('runuser', ['-u', 'postgres', '--', 'psql', '-h', cluster.socketDir, '-p', String(cluster.port), '-d', 'atlas', '-qAt', '-c',
    `SELECT pg_total_relation_size('pfeatures')`], { encoding: 'utf8' }).stdout.trim())
  pgInfo = `PostgreSQL ${cluster.version} + PostGIS ${cluster.postgisVersion}: ${loaded.rows.toLocaleString('en')} features loaded (COPY, GiST) in ${(loaded.ms / 1000).toFixed(0)} s, table + index ${mib(pgSize)}`
}
agent.destroy()

// 7. The table.
const total = [...tilesByZoom.values()].reduce((s, l) => s + l.length, 0)
const sqliteVersion = spawnSync(node, ['-e', "console.log(require('better-sqlite3')(':memory:').prepare('select sqlite_version() v').get().v)"], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim()
console.log(`\nCity Safety Atlas benchmark — scale ${scale} (${dbFile}), ${total} tiles over ${viewportsPerZoom} seeded 1920×1080 viewports per zoom`)
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${mib(totalmem())} RAM; Node ${process.version}, SQLite ${sqliteVersion}; times over loopback HTTP with keep-alive, gzip`)
console.log('\nTiles (ms over HTTP, one request at a time)')
const head = ['zoom', 'tiles', 'ours cold p50/p95/p99', 'ours warm p50/p95/p99']
if (pgSide) head.push('PostGIS cold p50/p95/p99', 'PostGIS warm p50/p95/p99', 'p95 ours:PostGIS cold', 'warm')
console.log(head.join(' | '))
for (const z of zooms) {
  const fmt = (ms: number[]) => { const p = percentiles(ms); return `${f1(p.p50)} / ${f1(p.p95)} / ${f1(p.p99)}` }
  const row = [`z${z}`, String(tilesByZoom.get(z)!.length), fmt(oursTiles.cold.get(z)!), fmt(oursTiles.warm.get(z)!)]
  if (pgSide) {
    const ratio = (a: number[], b: number[]) => `1 : ${(percentiles(b).p95 / percentiles(a).p95).toFixed(1)}`
    row.push(fmt(pgSide.cold.get(z)!), fmt(pgSide.warm.get(z)!), ratio(oursTiles.cold.get(z)!, pgSide.cold.get(z)!), ratio(oursTiles.warm.get(z)!, pgSide.warm.get(z)!))
  }
  console.log(row.join(' | '))
}
const allCold = zooms.filter((z) => z >= 12).flatMap((z) => oursTiles.cold.get(z)!)
const allWarm = zooms.flatMap((z) => oursTiles.warm.get(z)!)
console.log(`ours: cold p95 at z≥12 ${f1(percentiles(allCold).p95)} ms, warm p95 all zooms ${f1(percentiles(allWarm).p95)} ms, largest tile ${(oursTiles.maxBytes / 1024).toFixed(0)} KiB uncompressed`)
if (pgSide) {
  let same = 0
  let diffs = 0
  let worst = 0
  for (const [k, c] of oursTiles.counts) {
    const p = pgSide.counts.get(k) ?? {}
    const a = Object.values(c).reduce((s, n) => s + n, 0)
    const b = Object.values(p).reduce((s, n) => s + n, 0)
    if (a === b) same++
    else diffs++
    worst = Math.max(worst, Math.abs(a - b) / Math.max(1, b))
  }
  console.log(`fairness: decoded feature counts equal in ${same} of ${same + diffs} tiles; largest difference ${(worst * 100).toFixed(1)} % of a tile's features; PostGIS largest tile ${(pgSide.maxBytes / 1024).toFixed(0)} KiB`)
  console.log(pgInfo)
}
console.log('\nOther endpoints (ms over HTTP)')
for (const [label, p] of others) console.log(`${label.padEnd(44)} p50 ${f1(p.p50).padStart(6)}  p95 ${f1(p.p95).padStart(6)}  p99 ${f1(p.p99).padStart(6)}`)
console.log(`\nwarm tiles under load: ${Math.round(loadResult.requests / loadResult.seconds).toLocaleString('en')} tiles/s (${loadResult.requests} in ${loadResult.seconds.toFixed(1)} s, 32 keep-alive connections from a second process, ${loadResult.errors} errors)`)
console.log(`server RSS ${mib(mem.rss)} (peak ${mib(mem.peak)}); ready ${Math.round(ours.readyMs)} ms after start on the existing database; first tile (loads the feature index) ${Math.round(firstTile.ms)} ms`)
console.log(`database ${mib(dbBytes)}`)
console.log(`BENCH_JSON ${JSON.stringify({ readyMs: ours.readyMs, rss: mem.rss, tilesPerSecond: loadResult.requests / loadResult.seconds, maxTileBytes: oursTiles.maxBytes,
  coldP95: percentiles(allCold).p95, warmP95: percentiles(allWarm).p95, tiles: total })}`)
process.exit(0)
