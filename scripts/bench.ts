/**
 * The benchmark: generates the demo city at a scale, starts our server as a child process
 * on 127.0.0.1 and measures tiles (p50/p95/p99 per zoom, cold and warm, over seeded random viewports
 * around the dense centre and at the edges), bbox GeoJSON, statistics, catalog search, tiles/s under
 * load from a second process, RSS, start-up time and database size; then the same tiles from
 * PostgreSQL + PostGIS (ST_AsMVT, GiST) through a minimal HTTP server, with both sides' tiles decoded
 * and their feature counts compared. The PostGIS part is skipped when PostgreSQL is not installed.
 * With `--engine postgres` the product itself is then measured again on PostgreSQL + PostGIS (the
 * database copied over with db:copy): one process, then two replicas behind a small round-robin proxy
 * on loopback, printed beside the SQLite figures of the same run.
 *
 *   npm run bench -- [--scale 50] [--catalog-scale 1] [--viewports 6] [--load-seconds 8] [--engine sqlite|postgres] [--no-postgis] [--db file] [--keep]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import { randomBytes } from 'node:crypto'
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
import { loadFeatures, postgresBin, psql, startCluster } from './bench/postgis.js'
import { measureWrites, type WritesRun } from './bench/writes.js'
import { openPostgres, openSqlite } from '../server/db/connect.js'
import { copyDatabase } from '../server/db/copy.js'
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
    engine: { type: 'string', default: 'sqlite' },
    db: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'no-writes': { type: 'boolean', default: false },
    'import-features': { type: 'string', default: '100000' },
  },
})
if (values.engine !== 'sqlite' && values.engine !== 'postgres') throw new Error(`--engine must be sqlite or postgres, not ${values.engine}`)
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
const benchSecret = randomBytes(36).toString('base64url')
async function startOurs(databaseUrl: string): Promise<{ url: string; child: ChildProcess; readyMs: number }> {
  const t0 = performance.now()
  const child = spawn(node, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    // Port 0: the system picks a free one and the server prints it (no race with other servers starting).
    // The malloc settings of `npm start`: few arenas, and large blocks returned to the system when freed.
    env: { ...process.env, MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '1048576', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, DEMO: 'off', TILE_PREBUILD: 'off', WEB_ROOT: join(workDir, 'no-web'),
      SESSION_SECRET: benchSecret },
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
const rssOf = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024
  // Anonymous memory (heaps, the tile index, caches) apart from file pages (SQLite's memory map).
  return { rss: kib('VmRSS'), peak: kib('VmHWM'), anon: kib('RssAnon'), file: kib('RssFile') }
}
/** Busy and total CPU time of the whole machine (all cores), from /proc/stat. */
const cpuTimes = () => {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const idle = f[3]! + (f[4] ?? 0)
  const total = f.reduce((a, b) => a + b, 0)
  return { busy: total - idle, total }
}

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

interface LoadResult { requests: number; errors: number; bytes: number; seconds: number; cpuBusy: number }

/** The compressed bytes our server sends for a URL (no decompression: the baseline sends the very same). */
function rawGzip(url: string, cookie: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // A connection of its own: the load just run (synchronously) left the kept-alive ones closed by the server.
    const req = httpRequest(url, { agent: false, headers: { 'accept-encoding': 'gzip', cookie } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve(Buffer.concat(chunks)))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** The same warm tiles from a bare node:http server serving our bytes from memory, under the same load: the ceiling of serving tiles in Node here. */
async function loadBare(base: string): Promise<LoadResult> {
  const paths = zooms.flatMap((z) => tilesByZoom.get(z)!.map((t) => `/api/tiles/${t.z}/${t.x}/${t.y}.mvt`))
  const bodies: Record<string, string> = {}
  for (const p of paths) bodies[p] = (await rawGzip(base + p, defaultHeaders.cookie ?? '')).toString('base64')
  const file = join(workDir, 'bare-tiles.json')
  writeFileSync(file, JSON.stringify(bodies))
  const bare = spawn(node, ['--import', 'tsx', 'scripts/bench/bare-server.ts', file], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(bare)
  const url = await new Promise<string>((resolve) => {
    let out = ''
    bare.stdout!.on('data', (d: Buffer) => {
      out += d
      const m = /bare (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) resolve(m[1]!)
    })
  })
  const result = loadTiles(url)
  bare.kill('SIGKILL')
  return result
}
/** Warm tiles from a second process over loopback (32 keep-alive connections), with the machine's CPU use meanwhile. */
function loadTiles(base: string): LoadResult {
  const warmUrls = zooms.flatMap((z) => tilesByZoom.get(z)!.map((t) => `${base}/api/tiles/${t.z}/${t.x}/${t.y}.mvt`))
  const urlFile = join(workDir, 'urls.json')
  writeFileSync(urlFile, JSON.stringify(warmUrls))
  const before = cpuTimes()
  const load = spawnSync(node, ['--import', 'tsx', 'scripts/bench/load.ts', urlFile, String(loadSeconds), '32'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, BENCH_COOKIE: defaultHeaders.cookie } })
  const after = cpuTimes()
  const r = JSON.parse(load.stdout.trim().split('\n').pop()!) as Omit<LoadResult, 'cpuBusy'>
  return { ...r, cpuBusy: (after.busy - before.busy) / Math.max(1, after.total - before.total) }
}

/** One measured run of the product on a database: tiles, other endpoints, load, memory, start-up. */
interface ProductRun { tiles: Side; others: [string, ReturnType<typeof percentiles>][]; load: LoadResult; bare: LoadResult | null; mem: { rss: number; peak: number; anon: number; file: number }; readyMs: number; firstTileMs: number }
async function measureProduct(databaseUrl: string): Promise<ProductRun> {
  const ours = await startOurs(databaseUrl)
  defaultHeaders.cookie = await benchSession(databaseUrl, ours.url)
  const firstTile = await get(`${ours.url}/api/tiles/16/0/0.mvt`)
  const tiles = await measureTiles(ours.url, (t) => `/api/tiles/${t.z}/${t.x}/${t.y}.mvt`)

  // 4. The other endpoints (the same seeded requests on every engine).
  const r = new Random(7)
  async function timeEndpoint(paths: () => string, runs = 60): Promise<ReturnType<typeof percentiles>> {
    for (let i = 0; i < 3; i++) await get(ours.url + paths())
    const ms: number[] = []
    for (let i = 0; i < runs; i++) {
      const res = await get(ours.url + paths())
      if (res.status !== 200) throw new Error(`${paths()} → ${res.status}`)
      ms.push(res.ms)
    }
    return percentiles(ms)
  }
  const box = (w: number) => {
    const x = 106.63 + r.normal() * 0.03
    const y = 29.72 + r.normal() * 0.03
    return `${(x - w / 2).toFixed(5)},${(y - w / 2).toFixed(5)},${(x + w / 2).toFixed(5)},${(y + w / 2).toFixed(5)}`
  }
  const terms = ['燃气', '监测', '联系电话', '桥梁', '危险化学品', '管网', '名称']
  const others: [string, ReturnType<typeof percentiles>][] = [
    ['bbox GeoJSON, street (~1.5 km), limit 1000', await timeEndpoint(() => `/api/features?bbox=${box(0.015)}&limit=1000`)],
    ['stats overview', await timeEndpoint(() => '/api/stats/overview')],
    ['stats overview, filtered (domain + risk)', await timeEndpoint(() => `/api/stats/overview?domain=${r.pick(['public', 'production', 'lifeline', 'natural'])}&risk=red,orange`)],
    ['stats risk', await timeEndpoint(() => '/api/stats/risk')],
    ['stats risk, filtered (department)', await timeEndpoint(() => `/api/stats/risk?department=${r.int(1, 13)}`)],
    ['stats coverage', await timeEndpoint(() => '/api/stats/coverage')],
    ['stats coverage, filtered (domain)', await timeEndpoint(() => `/api/stats/coverage?domain=${r.pick(['public', 'production', 'lifeline', 'natural'])}`)],
    ['stats freshness', await timeEndpoint(() => '/api/stats/freshness')],
    ['stats update cycles', await timeEndpoint(() => '/api/stats/update-cycles')],
    ['stats reporting', await timeEndpoint(() => '/api/stats/reporting')],
    ['catalog search', await timeEndpoint(() => `/api/search?q=${encodeURIComponent(r.pick(terms))}`)],
  ]

  // 5. Load from a second process over loopback, warm tiles.
  const load = loadTiles(ours.url)
  const mem = rssOf(ours.child.pid!)
  const bare = databaseUrl === dbFile ? await loadBare(ours.url) : null
  ours.child.kill('SIGTERM')
  await new Promise((res) => ours.child.once('exit', res))
  return { tiles, others, load, bare, mem, readyMs: ours.readyMs, firstTileMs: firstTile.ms }
}

const sqliteRun = await measureProduct(dbFile)

// 5b. Writes: first start on a database never tiled, and a 100,000-point import under a steady trickle of requests.
let writes: WritesRun | null = null
if (!values['no-writes']) {
  writes = await measureWrites({
    dbFile, workDir, start: startOurs, session: benchSession, memory: rssOf,
    sequence: zooms.flatMap((z) => tilesByZoom.get(z)!.map((t) => `/api/tiles/${t.z}/${t.x}/${t.y}.mvt`)), features: Number(values['import-features']),
  })
  defaultHeaders.cookie = ''
}
const oursTiles = sqliteRun.tiles
const others = sqliteRun.others
const loadResult = sqliteRun.load
const mem = sqliteRun.mem
const ours = { readyMs: sqliteRun.readyMs }
const firstTile = { ms: sqliteRun.firstTileMs }

// 6. PostGIS: the same tiles from ST_AsMVT, and with --engine postgres the product itself on PostgreSQL.
let pgSide: Side | null = null
let pgInfo = ''
const bin = values['no-postgis'] && values.engine !== 'postgres' ? null : postgresBin()
let pgRun: ProductRun | null = null
let replicas: { one: LoadResult; two: LoadResult } | null = null
let copyInfo = ''
if (!bin) {
  if (values.engine === 'postgres') throw new Error('--engine postgres needs PostgreSQL with PostGIS (apt-get install postgresql postgresql-15-postgis-3)')
  console.log(values['no-postgis'] ? '\nPostGIS comparison skipped (--no-postgis).' : '\nPostGIS comparison skipped: PostgreSQL is not installed (apt-get install postgresql postgis).')
} else {
  const cluster = startCluster(bin)
  cleanups.push(cluster.stop)
  if (!values['no-postgis']) {
    const loaded = await loadFeatures(cluster, dbFile)
    const port = await freePortOn()
    const child = spawn(node, ['--import', 'tsx', 'scripts/bench/postgis-server.ts', cluster.socketDir, String(cluster.port), String(port)],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    children.push(child)
    await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()))
    pgSide = await measureTiles(`http://127.0.0.1:${port}`, (t) => `/tiles/${t.z}/${t.x}/${t.y}.mvt`)
    child.kill('SIGTERM')
    const pgSize = Number(psql(cluster.socketDir, cluster.port, 'atlas', `SELECT pg_total_relation_size('pfeatures')`).trim())
    pgInfo = `PostgreSQL ${cluster.version} + PostGIS ${cluster.postgisVersion}: ${loaded.rows.toLocaleString('en')} features loaded (COPY, GiST) in ${(loaded.ms / 1000).toFixed(0)} s, table + index ${mib(pgSize)}`
  }
  if (values.engine === 'postgres') {
    // The product's own database on PostgreSQL: the SQLite database copied over as a district would move.
    psql(cluster.socketDir, cluster.port, 'postgres', 'CREATE DATABASE product')
    const productUrl = cluster.url('product')
    const t0 = performance.now()
    const [from, to] = [openSqlite(dbFile), openPostgres(productUrl)]
    const copied = await copyDatabase(from, to)
    await Promise.all([from.close(), to.close()])
    if (!copied.same) throw new Error(`db:copy differs in ${copied.tables.filter((t) => !t.same).map((t) => t.table).join(', ')}`)
    psql(cluster.socketDir, cluster.port, 'product', 'VACUUM ANALYZE')
    const size = Number(psql(cluster.socketDir, cluster.port, 'product', `SELECT pg_database_size('product')`).trim())
    copyInfo = `copied into PostgreSQL ${cluster.version} + PostGIS ${cluster.postgisVersion} with db:copy in ${((performance.now() - t0) / 1000).toFixed(0)} s (every count and checksum equal), database ${mib(size)}`
    pgRun = await measureProduct(productUrl)
    // Two replicas behind a round-robin proxy, against one behind the same proxy.
    const [a, b] = [await startOurs(productUrl), await startOurs(productUrl)]
    defaultHeaders.cookie = await benchSession(productUrl, a.url)
    const through = async (upstreams: string[]) => {
      const proxy = spawn(node, ['--import', 'tsx', 'scripts/bench/proxy.ts', '0', ...upstreams], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
      children.push(proxy)
      const port = await new Promise<number>((resolve) => proxy.stdout!.on('data', (d: Buffer) => { const m = /ready (\d+)/.exec(d.toString()); if (m) resolve(Number(m[1])) }))
      const base = `http://127.0.0.1:${port}`
      for (const z of zooms) for (const t of tilesByZoom.get(z)!) for (let i = 0; i < upstreams.length; i++) await get(`${base}/api/tiles/${t.z}/${t.x}/${t.y}.mvt`)
      const r = loadTiles(base)
      proxy.kill('SIGTERM')
      return r
    }
    replicas = { one: await through([a.url]), two: await through([a.url, b.url]) }
    a.child.kill('SIGTERM')
    b.child.kill('SIGTERM')
  }
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
  const everyCold = (side: Side) => percentiles(zooms.flatMap((z) => side.cold.get(z)!)).p95
  console.log(`cold p95 over all zooms: ours ${f1(everyCold(oursTiles))} ms, PostGIS ${f1(everyCold(pgSide))} ms (${(everyCold(pgSide) / everyCold(oursTiles)).toFixed(1)}× lower)`)
  console.log(pgInfo)
}
console.log('\nOther endpoints (ms over HTTP)')
for (const [label, p] of others) console.log(`${label.padEnd(44)} p50 ${f1(p.p50).padStart(6)}  p95 ${f1(p.p95).padStart(6)}  p99 ${f1(p.p99).padStart(6)}`)
console.log(`\nwarm tiles under load: ${Math.round(loadResult.requests / loadResult.seconds).toLocaleString('en')} tiles/s (${loadResult.requests} in ${loadResult.seconds.toFixed(1)} s, 32 keep-alive connections from a second process, ${loadResult.errors} errors)`)
if (sqliteRun.bare) {
  const bareRate = sqliteRun.bare.requests / sqliteRun.bare.seconds
  console.log(`the same tiles' bytes from a bare node:http server under the same load: ${Math.round(bareRate).toLocaleString('en')} tiles/s; ours ${(100 * loadResult.requests / loadResult.seconds / bareRate).toFixed(0)} % of it`)
}
console.log(`server RSS ${mib(mem.rss)} (peak ${mib(mem.peak)}; anonymous ${mib(mem.anon)}, file-backed ${mib(mem.file)}); ready ${Math.round(ours.readyMs)} ms after start on the existing database; first tile (loads the feature index) ${Math.round(firstTile.ms)} ms`)
console.log(`database ${mib(dbBytes)}`)
if (writes) {
  const w = writes
  const pings = (p: WritesRun['meta']) => `p50 ${f1(p.p50)} ms, p99 ${f1(p.p99)} ms, max ${f1(p.max)} ms; ${p.failed} of ${p.n} failed`
  console.log(`\nWrites, on a copy of the database with its stored tile index removed (never tiled)`)
  console.log(`start: ready ${Math.round(w.readyMs)} ms; first tile (z12, centre; sign-in included) ${Math.round(w.firstTileMs)} ms after start`)
  console.log(`import of ${w.features.toLocaleString('en')} points: preview ${Math.round(w.previewMs)} ms, import ${Math.round(w.importMs)} ms; new features in the tiles ${Math.round(w.newTilesMs)} ms after the import answered`)
  console.log(`during the import and the index rebuild, /api/meta every 100 ms: ${pings(w.meta)}`)
  console.log(`during the import and the index rebuild, a warm tile every 100 ms: ${pings(w.tiles)}`)
  console.log(`server RSS after the import and a fixed sequence of ${zooms.length} zooms' tiles: ${mib(w.memory.rss)} (peak ${mib(w.memory.peak)}; anonymous ${mib(w.memory.anon)}, file-backed ${mib(w.memory.file)})`)
}
if (pgRun && replicas) {
  const warmP95 = (r: ProductRun) => percentiles(zooms.flatMap((z) => r.tiles.warm.get(z)!)).p95
  const coldP95 = (r: ProductRun) => percentiles(zooms.filter((z) => z >= 12).flatMap((z) => r.tiles.cold.get(z)!)).p95
  const other = (r: ProductRun, label: string) => r.others.find(([l]) => l === label)![1].p95
  const perSecond = (l: LoadResult) => `${Math.round(l.requests / l.seconds).toLocaleString('en')}/s (CPU ${(l.cpuBusy * 100).toFixed(0)} % busy${l.errors ? `, ${l.errors} errors` : ''})`
  console.log(`\nThe product on SQLite and on PostgreSQL, same data, same requests, this run (${copyInfo})`)
  console.log(['metric', 'SQLite', 'PostgreSQL'].join(' | '))
  const rows: [string, (r: ProductRun) => string][] = [
    ['warm tile p95, all zooms (ms)', (r) => f1(warmP95(r))],
    ['cold tile p95, z ≥ 12 (ms)', (r) => f1(coldP95(r))],
    ...(['stats overview', 'stats overview, filtered (domain + risk)', 'stats risk, filtered (department)', 'catalog search', 'bbox GeoJSON, street (~1.5 km), limit 1000']
      .map((label) => [`${label} p95 (ms)`, (r: ProductRun) => f1(other(r, label))] as [string, (r: ProductRun) => string])),
    ['start-up, ready (ms)', (r) => String(Math.round(r.readyMs))],
    ['first tile, loads the feature index (ms)', (r) => String(Math.round(r.firstTileMs))],
    ['warm tiles under load, one process', (r) => perSecond(r.load)],
    ['server RSS (peak)', (r) => `${mib(r.mem.rss)} (${mib(r.mem.peak)})`],
  ]
  for (const [label, f] of rows) console.log([label, f(sqliteRun), f(pgRun)].join(' | '))
  const ratio = replicas.two.requests / replicas.two.seconds / (replicas.one.requests / replicas.one.seconds)
  console.log(`PostgreSQL replicas behind a loopback round-robin proxy: one ${perSecond(replicas.one)}, two ${perSecond(replicas.two)}: ${ratio.toFixed(2)}× (${cpus().length} cores shared by the servers, the proxy, the load generator and PostgreSQL)`)
}
console.log(`BENCH_JSON ${JSON.stringify({ readyMs: ours.readyMs, rss: mem.rss, tilesPerSecond: loadResult.requests / loadResult.seconds, maxTileBytes: oursTiles.maxBytes,
  coldP95: percentiles(allCold).p95, warmP95: percentiles(allWarm).p95, tiles: total, writes })}`)
process.exit(0)
