/**
 * Uploads a generated corpus of hostile and malformed files (scripts/measure/hostile-corpus.ts: at
 * least 200, each at most 10 MB) to a real server process, one at a time, and prints what a user and
 * an operator would notice: crashes, 5xx answers, the longest answer, the server's peak memory above
 * its baseline (resident set, sampled every 10 ms from /proc), and the longest wait of a cheap request
 * sent every 10 ms alongside (how long the event loop was held up). The annex-3 files (.xlsx and .csv)
 * are also sent to the 风险评估导入表's preview, which reads spreadsheets the same way (group "→ 风险评估").
 *
 *   node --import tsx scripts/measure-hostile-uploads.ts [--only <group>] [--verbose]
 *
 * The server runs on a throwaway copy of the demo database, on 127.0.0.1, and is stopped at the end;
 * like `npm start`, with MALLOC_ARENA_MAX=2 (unless set), so that memory the upload workers free goes
 * back to few malloc arenas instead of staying spread over one per thread.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqlite } from '../server/db/connect.js'
import { createSession } from '../tests/helpers/app.js'
import { hostileCorpus, type HostileFile } from './measure/hostile-corpus.js'

const ASSESSMENTS = ' → 风险评估'
const args = process.argv.slice(2)
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined
const verbose = args.includes('--verbose')

const dir = mkdtempSync(join(tmpdir(), 'atlas-hostile-'))
const dbFile = join(dir, 'atlas.sqlite')
const secret = randomBytes(36).toString('base64url')
const port = 20_000 + Math.floor(Math.random() * 20_000)
const origin = `http://127.0.0.1:${port}`

let server: ChildProcess | null = null
let exited = false

function start(): Promise<void> {
  exited = false
  server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DATABASE_URL: dbFile, PORT: String(port), HOST: '127.0.0.1', SESSION_SECRET: secret, ADMIN_PASSWORD: randomBytes(18).toString('base64url'), DEMO: 'auto', NODE_ENV: 'development', MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2', MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '1048576' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server.on('exit', () => { exited = true })
  let log = ''
  server.stderr!.on('data', (d: Buffer) => { log += d.toString() })
  return new Promise((resolve, reject) => {
    server!.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('listening on')) resolve() })
    server!.on('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${log}`)))
  })
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}

/** A reporter of 渝北区应急局 (uploads are limited per user per minute: a new one every 25 files). */
function sessions() {
  const db = openSqlite(dbFile)
  const department = (db.sqlite.prepare(`SELECT id FROM departments WHERE name = '渝北区应急局'`).get() as { id: number }).id
  const resource = (db.sqlite.prepare(`SELECT r.id FROM resources r JOIN systems s ON s.id = r.system_id WHERE s.department_id = ? ORDER BY r.id LIMIT 1`).get(department) as { id: number }).id
  let current: { cookie: string; csrf: string } | null = null
  let used = 0
  return {
    department, resource,
    async next() {
      if (!current || used >= 25) {
        current = await createSession(db, { role: 'reporter', departmentId: department, username: `hostile-${randomBytes(4).toString('hex')}` }, new Date(), secret)
        used = 0
      }
      used++
      return current
    },
    close: () => db.sqlite.close(),
  }
}

interface Outcome { file: HostileFile; status: number; code: string; ms: number; peakMb: number; growthMb: number; stallMs: number; crashed: boolean }

async function main() {
  const files = await hostileCorpus()
  const corpus = [...files, ...files.filter((f) => f.target === 'forms-resources').map((f) => ({ ...f, group: `${f.group}${ASSESSMENTS}` }))]
    .filter((f) => !only || f.group === only)
  console.log(`corpus: ${corpus.length} files, ${(corpus.reduce((s, f) => s + f.bytes.length, 0) / 1024 / 1024).toFixed(0)} MB in all, largest ${(Math.max(...corpus.map((f) => f.bytes.length)) / 1024 / 1024).toFixed(1)} MB`)
  console.log('starting the server on a fresh demo database …')
  await start()
  const who = sessions()

  // A cheap request every 10 ms: its longest wait is how long the event loop was held up.
  let probeMax = 0
  let probing = true
  const probe = async () => {
    while (probing) {
      const t0 = performance.now()
      try { await fetch(`${origin}/api/auth/session`) } catch { /* the server is restarting */ }
      probeMax = Math.max(probeMax, performance.now() - t0)
      await new Promise((r) => setTimeout(r, 10))
    }
  }
  let rssMax = 0
  const sampler = setInterval(() => { if (server?.pid && !exited) rssMax = Math.max(rssMax, rssMb(server.pid)) }, 10)

  const upload = async (f: HostileFile) => {
    const s = await who.next()
    const form = new FormData()
    form.set('file', new File([new Uint8Array(f.bytes)], f.fileName))
    const assessments = f.group.endsWith(ASSESSMENTS)
    if (f.target === 'geodata') form.set('crs', 'auto')
    else if (!assessments) form.set('department', String(who.department))
    const path = assessments ? '/api/risk/assessments/preview'
      : f.target === 'geodata' ? `/api/resources/${who.resource}/geodata/preview` : `/api/forms/${f.target === 'forms-systems' ? 'systems' : 'resources'}/preview`
    const r = await fetch(`${origin}${path}`, { method: 'POST', body: form, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, origin }, signal: AbortSignal.timeout(120_000) })
    const text = await r.text()
    let code = ''
    try { code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? (r.ok ? 'ok' : '') } catch { code = 'not json' }
    return { status: r.status, code }
  }

  // Warm up (first parse, caches), then the baseline.
  const warm = corpus.find((f) => f.name === 'a good one (control)') ?? corpus[0]!
  for (let i = 0; i < 3; i++) await upload(warm)
  await new Promise((r) => setTimeout(r, 1500))
  const baseline = rssMb(server!.pid!)
  void probe()
  await new Promise((r) => setTimeout(r, 300))
  const idleProbe = probeMax
  console.log(`baseline: ${baseline.toFixed(0)} MB resident, a concurrent request waits at most ${idleProbe.toFixed(1)} ms when idle\n`)

  const outcomes: Outcome[] = []
  for (const f of corpus) {
    probeMax = 0
    const rssBefore = rssMb(server!.pid!)
    rssMax = rssBefore
    const t0 = performance.now()
    let status = 0
    let code = ''
    try {
      ({ status, code } = await upload(f))
    } catch (err) {
      code = err instanceof Error ? err.name : String(err)
    }
    const ms = performance.now() - t0
    await new Promise((r) => setTimeout(r, 30))
    const crashed = exited
    outcomes.push({ file: f, status, code, ms, peakMb: rssMax - baseline, growthMb: rssMax - rssBefore, stallMs: probeMax, crashed })
    if (verbose || crashed || status >= 500 || status === 0) console.log(`  ${f.group} · ${f.name}: ${status} ${code} in ${ms.toFixed(0)} ms, +${(rssMax - baseline).toFixed(0)} MB, stall ${probeMax.toFixed(0)} ms${crashed ? ' — CRASHED' : ''}`)
    if (crashed) await start()
  }
  probing = false
  clearInterval(sampler)
  who.close()

  const groups = [...new Set(outcomes.map((o) => o.file.group))]
  const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`
  console.log(row(['group', 'files', 'crashes', '5xx', 'answers', 'max time ms', 'max growth during a file MB', 'max memory above baseline MB', 'max stall ms']))
  console.log(row(['---', '---:', '---:', '---:', '---', '---:', '---:', '---:', '---:']))
  const summary = (name: string, os: Outcome[]) => {
    const statuses = new Map<number, number>()
    for (const o of os) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1)
    console.log(row([name, os.length, os.filter((o) => o.crashed).length, os.filter((o) => o.status >= 500).length,
      [...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' '),
      Math.max(...os.map((o) => o.ms)).toFixed(0), Math.max(0, ...os.map((o) => o.growthMb)).toFixed(0), Math.max(0, ...os.map((o) => o.peakMb)).toFixed(0),
      Math.max(...os.map((o) => o.stallMs)).toFixed(0)]))
  }
  for (const g of groups) summary(g, outcomes.filter((o) => o.file.group === g))
  summary('**all**', outcomes)
  const worst = (label: string, key: (o: Outcome) => number, unit: string) => {
    console.log(`\nlongest ${label}:`)
    for (const o of [...outcomes].sort((a, b) => key(b) - key(a)).slice(0, 5)) console.log(`  ${key(o).toFixed(0)} ${unit}  ${o.file.group} · ${o.file.name} (${(o.file.bytes.length / 1024).toFixed(0)} KB) → ${o.status} ${o.code}`)
  }
  worst('stalls', (o) => o.stallMs, 'ms')
  worst('answers', (o) => o.ms, 'ms')
  worst('growth of memory during one file', (o) => o.growthMb, 'MB')
  const crashes = outcomes.filter((o) => o.crashed).length
  const fives = outcomes.filter((o) => o.status >= 500 || o.status === 0).length
  const end = rssMb(server!.pid!)
  console.log(`\n${outcomes.length} files: ${crashes} crashes, ${fives} 5xx or no answer, memory at most +${Math.max(0, ...outcomes.map((o) => o.peakMb)).toFixed(0)} MB over the ${baseline.toFixed(0)} MB baseline (+${Math.max(0, ...outcomes.map((o) => o.growthMb)).toFixed(0)} MB at most during one file; +${(end - baseline).toFixed(0)} MB at the end), longest answer ${Math.max(...outcomes.map((o) => o.ms)).toFixed(0)} ms, longest stall ${Math.max(...outcomes.map((o) => o.stallMs)).toFixed(0)} ms`)
  server!.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}

main().catch((err: unknown) => {
  console.error(err)
  server?.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
  process.exit(1)
})
