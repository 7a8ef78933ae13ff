/**
 * The federation benchmark: a district atlas of a million features and ten thousand resources, and a
 * city atlas harvesting it, both our real server as child processes on 127.0.0.1. Measures the first
 * harvest (job time, what it moved, bytes and requests), an incremental job after 1 % of the features
 * changed in place and 0.2 % were deleted, and a job with nothing changed; meanwhile the district's
 * own latency (a mix of warm tiles, statistics and a catalog page, requested one after another) idle
 * and during each job, side by side; the servers' memory and the databases' sizes.
 *
 *   npm run bench:harvest -- [--scale 50] [--catalog-scale 49] [--db file] [--keep] [--timeout-minutes 90]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { REPO_ROOT } from '../../server/config.js'
import { agent, get, percentiles } from './http.js'
import { benchSession } from './session.js'
import { viewportTiles } from './viewports.js'

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '50' },
    'catalog-scale': { type: 'string', default: '49' },
    db: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'timeout-minutes': { type: 'string', default: '90' },
  },
})
const node = process.execPath
const children: ChildProcess[] = []
const workDir = mkdtempSync(join(tmpdir(), 'atlas-harvest-bench-'))
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  if (!values.keep) rmSync(workDir, { recursive: true, force: true })
})
// A signal does not run 'exit' handlers by itself: exit through them so the servers never outlive the run.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => process.exit(130))
// The requests have no timeout of their own (a server that stops answering would hang the run): the whole
// run has one, generation included.
setTimeout(() => {
  console.error(`harvest benchmark: not finished after ${values['timeout-minutes']} min, stopping`)
  process.exit(2)
}, Number(values['timeout-minutes']) * 60_000).unref()
const secret = randomBytes(36).toString('base64url')
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '–')
const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`
const sizeOf = (file: string) => ['', '-wal'].reduce((s, suf) => s + (existsSync(file + suf) ? statSync(file + suf).size : 0), 0)
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// 1. The district's database.
const districtFile = values.db ?? join(workDir, 'district.sqlite')
if (!existsSync(districtFile)) {
  const t0 = performance.now()
  const r = spawnSync(node, ['--import', 'tsx', 'scripts/generate-demo.ts', '--scale', values.scale!, '--catalog-scale', values['catalog-scale']!,
    '--now', '2026-11-21T02:00:00Z', '--out', districtFile], { cwd: REPO_ROOT, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`demo generation failed:\n${r.stderr}`)
  console.log(r.stdout.trim(), `(${((performance.now() - t0) / 1000).toFixed(0)} s)`)
}
// Counted from the file, since with --db the generator's own summary is not printed.
const counts = (() => {
  const db = new Database(districtFile, { readonly: true })
  try {
    const count = (table: string) => Number(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get())
    return { features: count('features'), resources: count('resources'), items: count('data_items') }
  } finally {
    db.close()
  }
})()
console.log(`district ${districtFile}: ${counts.features.toLocaleString('en')} features, ${counts.resources.toLocaleString('en')} resources, ${counts.items.toLocaleString('en')} items`)

async function start(databaseUrl: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess; log: () => string }> {
  const child = spawn(node, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, DEMO: 'off', WEB_ROOT: join(workDir, 'no-web'), SESSION_SECRET: secret, ...env },
  })
  children.push(child)
  let log = ''
  child.stdout!.on('data', (d: Buffer) => (log += d))
  child.stderr!.on('data', (d: Buffer) => (log += d))
  const deadline = Date.now() + 300_000
  for (let url = ''; ;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${log}`)
    if (Date.now() > deadline) throw new Error(`server not ready in 5 min:\n${log}`)
    url ||= /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1] ?? ''
    if (url) {
      try {
        if ((await get(`${url}/api/meta`)).status === 200) return { url, child, log: () => log }
      } catch { /* not answering yet */ }
    }
    await sleep(50)
  }
}

/** A signed-in administrator's headers for changes (cookie and CSRF token). */
async function adminHeaders(databaseUrl: string, url: string): Promise<Record<string, string>> {
  const cookie = await benchSession(databaseUrl, url)
  const session = JSON.parse((await get(`${url}/api/auth/session`, { cookie })).body.toString()) as { csrfToken: string }
  return { cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' }
}

async function send(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<any> {
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : null
}

// 2. The district's server and the latency probe.
const district = await start(districtFile, {})
const districtAdmin = await adminHeaders(districtFile, district.url)
const token = (await send('POST', `${district.url}/api/admin/federation-tokens`, districtAdmin, { label: '市级平台（基准测试）', ceiling: 'internal' })).token as string
const probeUrls = [
  ...[12, 13, 14].flatMap((z) => viewportTiles([106.63, 29.72], z, 1280, 720).map((t) => `${district.url}/api/tiles/${t.z}/${t.x}/${t.y}.mvt`)),
  `${district.url}/api/stats/overview`, `${district.url}/api/resources?pageSize=20`, `${district.url}/api/resources?pageSize=20&domain=lifeline`,
]
const probeHeaders = { cookie: districtAdmin.cookie! }
// Warm: each URL twice, then a few seconds of the mix, so that idle means a warm server (its tile index built).
for (let pass = 0; pass < 2; pass++) for (const u of probeUrls) await get(u, probeHeaders)
async function probe(until: () => boolean, minimum = 0): Promise<number[]> {
  const ms: number[] = []
  for (let i = 0; !until() || ms.length < minimum; i++) {
    const r = await get(probeUrls[i % probeUrls.length]!, probeHeaders)
    if (r.status !== 200) throw new Error(`probe ${probeUrls[i % probeUrls.length]} answered ${r.status}`)
    ms.push(r.ms)
  }
  return ms
}
const warmUntil = Date.now() + 5000
await probe(() => Date.now() > warmUntil)
let n = 0
const idle = percentiles(await probe(() => ++n > 1000))

// 3. The city.
const cityFile = join(workDir, 'city.sqlite')
const city = await start(cityFile, { ATLAS_ROLE: 'city', HARVEST_CHECK_SECONDS: '3600' })
const cityAdmin = await adminHeaders(cityFile, city.url)
const source = await send('POST', `${city.url}/api/harvest/sources`, cityAdmin, { kind: 'atlas', name: '基准区县', url: `${district.url}/`, token, scheduleMinutes: 10080 })

interface Job { id: number; status: string; durationMs: number; error: string | null; report: any }
async function runJob(label: string): Promise<{ job: Job; wallMs: number; during: ReturnType<typeof percentiles>; cityProbe: ReturnType<typeof percentiles> }> {
  const t0 = performance.now()
  const started = await send('POST', `${city.url}/api/harvest/sources/${source.id}/run`, cityAdmin) as Job
  let job = started
  let done = false
  const cityMs: number[] = []
  // The city's own answers while its worker harvests: its health endpoint, one request a poll.
  const poll = (async () => {
    const deadline = Date.now() + 15 * 60_000
    try {
      while (!done) {
        if (Date.now() > deadline) throw new Error(`${label}: job still running after 15 min`)
        await sleep(500)
        const h = await get(`${city.url}/api/health`)
        cityMs.push(h.ms)
        job = JSON.parse((await get(`${city.url}/api/harvest/jobs/${started.id}`, { cookie: cityAdmin.cookie! })).body.toString()) as Job
        if (job.status !== 'running') done = true
      }
    } finally {
      // A failed poll ends the probe too; the failure itself surfaces at `await poll`.
      done = true
    }
  })()
  const during = await probe(() => done, 20)
  await poll
  return { job, wallMs: performance.now() - t0, during: percentiles(during), cityProbe: percentiles(cityMs) }
}

const first = await runJob('first harvest')
const cityRssAfterFirst = rssOf(city.child.pid!)
const cityBytes = sizeOf(cityFile)
const districtBytesAfterFirst = sizeOf(districtFile)

// 4. 1 % of the features changed in place, 0.2 % deleted, at the district (a second connection: WAL lets it write beside the server).
const sqlite = new Database(districtFile)
sqlite.pragma('busy_timeout = 10000')
const total = Number(sqlite.prepare('SELECT count(*) FROM features').pluck().get())
// What the city should see of the edit: only features of the district's own resources within the
// token's ceiling are shared (server/federation/queries.ts), so a few of the edited rows never left.
const sharedCount = (where: string) => Number(sqlite.prepare(`SELECT count(*) FROM features WHERE ${where}
  AND resource_id IN (SELECT id FROM resources WHERE source_id IS NULL AND sensitivity IN ('public', 'internal'))`).pluck().get())
const expected = { updated: sharedCount('id % 100 = 0'), deleted: sharedCount('id % 500 = 1') }
const t1 = performance.now()
const changed = sqlite.prepare(`UPDATE features SET name = name || '·' WHERE id % 100 = 0`).run().changes
const deleted = sqlite.prepare(`DELETE FROM features WHERE id % 500 = 1`).run().changes
sqlite.close()
const editMs = performance.now() - t1
// The write itself makes the district rebuild its in-memory tile index (not the harvest's doing): let it
// settle, measuring it on its own, before the incremental job.
const settleUntil = Date.now() + 15_000
const settle = percentiles(await probe(() => Date.now() > settleUntil))
const second = await runJob('incremental')
const third = await runJob('nothing changed')

n = 0
const idleAfter = percentiles(await probe(() => ++n > 1000))
const districtRss = rssOf(district.child.pid!)
const cityRss = rssOf(city.child.pid!)
agent.destroy()

// 5. Report.
const kinds = ['departments', 'systems', 'resources', 'items', 'updates', 'features'] as const
console.log(`\nCity Safety Atlas harvest benchmark — district of ${total.toLocaleString('en')} features (scale ${values.scale}, catalog scale ${values['catalog-scale']}), ${cpus().length} cores`)
for (const [label, r] of [['first harvest', first], [`incremental (${changed.toLocaleString('en')} changed, ${deleted.toLocaleString('en')} deleted)`, second], ['nothing changed', third]] as const) {
  const rep = r.job.report
  console.log(`\n${label}: ${r.job.status}, job ${f1(r.job.durationMs / 1000)} s (wall ${f1(r.wallMs / 1000)} s), ${mib(rep?.bytes ?? 0)} in ${rep?.requests ?? 0} requests${r.job.error ? ` — ${r.job.error}` : ''}`)
  console.log('  kind          source   harvested      added    updated    deleted  unchanged')
  for (const k of kinds) {
    const t = rep?.tallies?.[k]
    if (t) console.log(`  ${k.padEnd(12)}${[t.source, t.harvested, t.added, t.updated, t.deleted, t.unchanged].map((v: number | null) => String(v ?? '–').padStart(10)).join(' ')}`)
  }
  if (rep?.phases?.length) console.log(`  steps: ${rep.phases.map((p: { step: string; ms: number }) => `${p.step} ${f1(p.ms / 1000)} s`).join(' · ')}`)
  if (rep?.errors?.length) console.log(`  errors: ${rep.errors.length + rep.moreErrors}, first: ${JSON.stringify(rep.errors[0])}`)
  console.log(`  district latency p50/p95/p99 ms: idle ${f1(idle.p50)}/${f1(idle.p95)}/${f1(idle.p99)} · during ${f1(r.during.p50)}/${f1(r.during.p95)}/${f1(r.during.p99)} (n=${r.during.n}) · p95 ratio ${f1(r.during.p95 / idle.p95)}×`)
  console.log(`  city /api/health during the job p50/p95/p99 ms: ${f1(r.cityProbe.p50)}/${f1(r.cityProbe.p95)}/${f1(r.cityProbe.p99)} (n=${r.cityProbe.n})`)
}
console.log(`\ndistrict latency idle again after the jobs p50/p95/p99 ms: ${f1(idleAfter.p50)}/${f1(idleAfter.p95)}/${f1(idleAfter.p99)} (n=${idleAfter.n})`)
const got = { updated: second.job.report?.tallies?.features?.updated, deleted: second.job.report?.tallies?.features?.deleted }
const countsMatch = got.updated === expected.updated && got.deleted === expected.deleted
console.log(`incremental features: ${got.updated} updated and ${got.deleted} deleted at the city; of the edited rows ${expected.updated} changed and ${expected.deleted} deleted were shared with the token${countsMatch ? ' (equal)' : ' — MISMATCH'}`)
console.log(`changing 1 % at the district took ${f1(editMs / 1000)} s; the district's latency in the 15 s after that write, before the job p50/p95/p99 ms: ${f1(settle.p50)}/${f1(settle.p95)}/${f1(settle.p99)} (n=${settle.n})`)
console.log(`RSS: district ${mib(districtRss)}, city ${mib(cityRssAfterFirst)} after the first harvest, ${mib(cityRss)} at the end`)
console.log(`database size (file + -wal) after the first harvest: district ${mib(districtBytesAfterFirst)}, city ${mib(cityBytes)}; district at the end ${mib(sizeOf(districtFile))}`)
console.log(JSON.stringify({
  features: total, resources: counts.resources, firstMs: first.job.durationMs, incrementalMs: second.job.durationMs, unchangedMs: third.job.durationMs,
  idleP95: idle.p95, idleAfterP95: idleAfter.p95, duringFirstP95: first.during.p95, duringIncrementalP95: second.during.p95,
  cityHealthP95First: first.cityProbe.p95, districtRss, cityRss, cityBytes, districtBytes: districtBytesAfterFirst,
  statuses: [first.job.status, second.job.status, third.job.status], countsMatch,
}))
// A job that did not succeed, or an incremental job that moved other rows than were changed, fails the run.
if ([first, second, third].some((r) => r.job.status !== 'succeeded') || !countsMatch) process.exitCode = 1
process.exit()
