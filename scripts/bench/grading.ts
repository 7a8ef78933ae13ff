/**
 * The risk-grading benchmark: on a copy of a demo database (or one generated at a scale), `--points`
 * risk points and hazard sources get an assessment each (deterministic 5 × 5 inputs, written directly),
 * then our server is started on it as a child process on 127.0.0.1 and measured, side by side in one run:
 * - the 四色图: GET /api/risk/regions for the grid and for the 镇街, warm p50/p95;
 * - the category level (GET /api/risk/categories) and re-assessment supervision (GET /api/risk/reassessment),
 *   warm p50/p95;
 * - a model change (one cell of the default matrix) re-grading every assessed point: its duration, and
 *   the p95 of ordinary reads (the overview, a street-level feature query, the alarm list) meanwhile
 *   against the same reads idle;
 * - an import of a 风险评估导入表 of 10,000 rows: its duration, and the slowest of cheap requests sent
 *   every 10 ms meanwhile.
 *
 *   npm run bench:grading -- [--db file | --scale 50] [--points 100000]
 */
import { spawnSync, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { REPO_ROOT } from '../../server/config.js'
import { openSqlite } from '../../server/db/connect.js'
import { prepareDatabase } from '../../server/prepare.js'
import { DEFAULT_MATRIX, grade, isProblem } from '../../server/domain/risk-grading.js'
import { Random } from '../../server/demo/random.js'
import ExcelJS from 'exceljs'
import { get, percentiles } from './http.js'
import { benchSession } from './session.js'
import { startBenchServer } from './server.js'

const { values } = parseArgs({ options: { db: { type: 'string' }, scale: { type: 'string', default: '50' }, points: { type: 'string', default: '100000' } } })
const wanted = Number(values.points)
const node = process.execPath
const children: ChildProcess[] = []
process.on('exit', () => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL') })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '–')

const workDir = mkdtempSync(join(tmpdir(), 'atlas-bench-grading-'))
const dbFile = join(workDir, 'atlas.sqlite')
if (values.db) {
  for (const suffix of ['', '-wal']) if (existsSync(values.db + suffix)) copyFileSync(values.db + suffix, dbFile + suffix)
} else {
  const r = spawnSync(node, ['--import', 'tsx', 'scripts/generate-demo.ts', '--scale', values.scale!, '--out', dbFile], { cwd: REPO_ROOT, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
}

// 1. Assessments, written directly: the same inputs for the same seed.
let assessed = 0
let features = 0
{
  // Migrated first (a copy may predate risk grading), as the server's own start would.
  const db = openSqlite(dbFile)
  await prepareDatabase(db)
  features = Number(db.sqlite.prepare('SELECT count(*) FROM features').pluck().get())
  const model = db.sqlite.prepare("SELECT id FROM risk_models WHERE scope = '' ORDER BY version DESC LIMIT 1").pluck().get() as number
  const ids = db.sqlite.prepare("SELECT id FROM features WHERE kind IN ('risk-point', 'hazard-source') ORDER BY id LIMIT ?").pluck().all(wanted) as number[]
  const rnd = new Random(20261205)
  const at = new Date().toISOString()
  const insert = db.sqlite.prepare(`INSERT INTO risk_assessments (feature_id, model_id, inputs, computed_level, score, likelihood, consequence, level, cause, assessor, assessed_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'import', 'bench', ?)`)
  const setLevel = db.sqlite.prepare('UPDATE features SET risk_level = ? WHERE id = ?')
  db.sqlite.transaction(() => {
    for (const id of ids) {
      const inputs = { kind: 'matrix' as const, likelihood: rnd.int(1, 5), consequence: rnd.int(1, 5) }
      const g = grade(DEFAULT_MATRIX, inputs)
      if (isProblem(g)) continue
      insert.run(id, model, JSON.stringify(inputs), g.level, g.score, g.likelihood, g.consequence, g.level, at)
      setLevel.run(g.level, id)
      assessed++
    }
  })()
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  await db.close()
}
console.log(`${features.toLocaleString('en')} features, ${assessed.toLocaleString('en')} risk points and hazard sources assessed`)

// 2. Our server.
const secret = randomBytes(36).toString('base64url')
const { url, child } = await startBenchServer({
  DATABASE_URL: dbFile, WEB_ROOT: join(workDir, 'no-web'), SESSION_SECRET: secret, MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '1048576',
}, children)
const cookie = await benchSession(dbFile, url)
const session = JSON.parse((await get(`${url}/api/auth/session`, { cookie })).body.toString()) as { csrfToken: string }

// 3. The 四色图, warm.
const timed = async (path: string, n: number) => {
  const first = (await get(`${url}${path}`, { cookie })).ms
  const ms: number[] = []
  for (let i = 0; i < n; i++) {
    const r = await get(`${url}${path}`, { cookie })
    if (r.status !== 200) throw new Error(`${path}: ${r.status}`)
    ms.push(r.ms)
  }
  return { ...percentiles(ms), first }
}
const gridRegions = await timed('/api/risk/regions?type=grid', 60)
const districtRegions = await timed('/api/risk/regions?type=district', 60)
const cells = JSON.parse((await get(`${url}/api/risk/regions?type=grid`, { cookie })).body.toString()).items.length as number
const categories = await timed('/api/risk/categories', 20)
const reassessment = await timed('/api/risk/reassessment', 20)

// 4. Reads idle, then while a model change re-grades.
const reads = ['/api/stats/overview', '/api/features?bbox=106.63,29.71,106.64,29.72&limit=200', '/api/alarms?open=true&limit=50']
async function sample(until: () => boolean): Promise<number[]> {
  const ms: number[] = []
  for (let i = 0; !until(); i++) {
    const r = await get(`${url}${reads[i % reads.length]}`, { cookie })
    if (r.status !== 200) throw new Error(`read ${r.status}`)
    ms.push(r.ms)
    await sleep(25)
  }
  return ms
}
for (const p of reads) await get(`${url}${p}`, { cookie })
const idleEnd = Date.now() + 8000
const idle = percentiles(await sample(() => Date.now() > idleEnd))
const changed = DEFAULT_MATRIX.cells.map((r) => [...r])
changed[2]![2] = 'orange'
let done = false
const t0 = performance.now()
const put = fetch(`${url}/api/risk-models/default`, {
  method: 'PUT', headers: { cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
  body: JSON.stringify({ config: { ...DEFAULT_MATRIX, cells: changed }, note: 'benchmark' }),
}).then(async (r) => {
  const body = await r.json() as { regraded: number; changed: number }
  done = true
  if (r.status !== 200) throw new Error(`PUT ${r.status}: ${JSON.stringify(body)}`)
  return { ...body, ms: performance.now() - t0 }
})
const during = percentiles(await sample(() => done))
const result = await put

// 5. An import of 10,000 assessments, with cheap requests every 10 ms meanwhile.
const importRows = 10_000
const importIds = (() => {
  const db = openSqlite(dbFile)
  try {
    return db.sqlite.prepare("SELECT id FROM features WHERE kind IN ('risk-point', 'hazard-source') ORDER BY id DESC LIMIT ?").pluck().all(importRows) as number[]
  } finally {
    void db.close()
  }
})()
const wb = new ExcelJS.Workbook()
const ws = wb.addWorksheet('风险评估')
ws.addRow(['要素编号', '可能性（1–5）', '后果（1–5）'])
const irnd = new Random(7)
for (const id of importIds) ws.addRow([id, irnd.int(1, 5), irnd.int(1, 5)])
const sheet = Buffer.from(await wb.xlsx.writeBuffer())
let imported = false
const ti = performance.now()
const form = new FormData()
form.set('file', new File([new Uint8Array(sheet)], 'assessments.xlsx'))
const upload = fetch(`${url}/api/risk/assessments/import`, { method: 'POST', headers: { cookie, 'x-csrf-token': session.csrfToken }, body: form }).then(async (r) => {
  const body = await r.json() as { assessments: number }
  imported = true
  if (r.status !== 201) throw new Error(`import ${r.status}: ${JSON.stringify(body)}`)
  return { ...body, ms: performance.now() - ti }
})
const cheap: number[] = []
while (!imported) {
  const r = await get(`${url}/api/health`, {})
  cheap.push(r.ms)
  await sleep(10)
}
const importResult = await upload
const cheapStats = percentiles(cheap)

console.log(`\nRisk grading at ${features.toLocaleString('en')} features (${assessed.toLocaleString('en')} assessed points), one run`)
console.log('| measure | figure |')
console.log('|---|---|')
console.log(`| 四色图, grid (${cells.toLocaleString('en')} cells), warm p50 / p95 | ${f1(gridRegions.p50)} / ${f1(gridRegions.p95)} ms |`)
console.log(`| 四色图, 镇街, warm p50 / p95 | ${f1(districtRegions.p50)} / ${f1(districtRegions.p95)} ms |`)
console.log(`| 类别风险 (category level): first answer; then warm p50 / p95 (kept per data version) | ${f1(categories.first)} ms; ${f1(categories.p50)} / ${f1(categories.p95)} ms |`)
console.log(`| 复评督办 (re-assessment): first answer; then warm p50 / p95 (kept per data version and minute) | ${f1(reassessment.first)} ms; ${f1(reassessment.p50)} / ${f1(reassessment.p95)} ms |`)
console.log(`| re-grading after a model change | ${result.regraded.toLocaleString('en')} points (${result.changed.toLocaleString('en')} changed level) in ${(result.ms / 1000).toFixed(1)} s |`)
console.log(`| reads p95 idle / while re-grading | ${f1(idle.p95)} / ${f1(during.p95)} ms = ${f1(during.p95 / idle.p95)}× (${during.n} reads; p99 ${f1(during.p99)} ms) |`)
console.log(`| import of ${importRows.toLocaleString('en')} assessments (xlsx ${(sheet.length / 1024).toFixed(0)} KB) | ${importResult.assessments.toLocaleString('en')} in ${(importResult.ms / 1000).toFixed(2)} s; cheap requests meanwhile p50 ${f1(cheapStats.p50)} ms, max ${f1(cheapStats.max)} ms (${cheapStats.n}) |`)

child.kill('SIGTERM')
await new Promise((r) => child.once('exit', r))
rmSync(workDir, { recursive: true, force: true })
process.exit(0)
