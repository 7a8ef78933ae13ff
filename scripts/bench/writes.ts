/**
 * The writes part of `npm run bench`, on a copy of the benchmark's database whose stored tile index is
 * removed (a database never tiled): the server's start and first tile; then a 100,000-point geodata
 * import (preview, then import) while a cheap request (/api/meta) and a warm tile are each asked every
 * 100 ms, with their latencies and every failed request counted, through the import and the rebuild of
 * the tile index after it; then the server's memory after a fixed sequence of tile requests.
 */
import type { ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { get, percentiles } from './http.js'

export interface Started { url: string; child: ChildProcess; readyMs: number }
export interface Memory { rss: number; peak: number; anon: number; file: number }

export interface Pings { n: number; failed: number; p50: number; p99: number; max: number }
export interface WritesRun {
  readyMs: number
  /** From the server's start to the first tile's answer (the sign-in included). */
  firstTileMs: number
  features: number
  previewMs: number
  importMs: number
  /** From the import's answer to the first tile drawn from the new index. */
  newTilesMs: number
  meta: Pings
  tiles: Pings
  memory: Memory
}

/** A seeded set of points around the district's centre, as a GeoJSON file of `n` features. */
function pointsFile(n: number): Buffer {
  let seed = 20261205
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  const features = new Array<string>(n)
  for (let i = 0; i < n; i++) {
    const lon = (106.5 + random() * 0.4).toFixed(6)
    const lat = (29.62 + random() * 0.4).toFixed(6)
    features[i] = `{"type":"Feature","properties":{"名称":"导入点${i}","编号":${i}},"geometry":{"type":"Point","coordinates":[${lon},${lat}]}}`
  }
  return Buffer.from(`{"type":"FeatureCollection","features":[${features.join(',')}]}`)
}

/** A request every `everyMs` until stopped: latency of each answer, and every failure (an error or a status other than 200). */
function pinger(url: () => string, everyMs: number, headers: Record<string, string>) {
  const ms: number[] = []
  let failed = 0
  let running = true
  const inFlight: Promise<void>[] = []
  const timer = setInterval(() => {
    if (!running) return
    inFlight.push(get(url(), headers).then((r) => { if (r.status === 200) ms.push(r.ms); else failed++ }, () => { failed++ }))
  }, everyMs)
  return {
    async stop(): Promise<Pings> {
      running = false
      clearInterval(timer)
      await Promise.all(inFlight)
      const p = percentiles(ms)
      return { n: ms.length + failed, failed, p50: p.p50, p99: p.p99, max: Math.max(0, ...ms) }
    },
  }
}

const tileAt = (lon: number, lat: number, z: number) => {
  const n = 2 ** z
  const r = (lat * Math.PI) / 180
  return `${z}/${Math.floor(((lon + 180) / 360) * n)}/${Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)}`
}

export async function measureWrites(o: {
  dbFile: string
  workDir: string
  start: (databaseUrl: string) => Promise<Started>
  session: (databaseUrl: string, url: string) => Promise<string>
  memory: (pid: number) => Memory
  /** Tile paths requested, in order, before memory is read. */
  sequence: string[]
  features?: number
}): Promise<WritesRun> {
  const copy = join(o.workDir, 'writes.sqlite')
  copyFileSync(o.dbFile, copy)
  if (existsSync(`${o.dbFile}-wal`)) copyFileSync(`${o.dbFile}-wal`, `${copy}-wal`)
  const raw = new Database(copy)
  raw.prepare('DELETE FROM tile_index').run()
  // The resource with the most point features of this district's own: the import replaces them.
  const target = raw.prepare(`SELECT f.resource_id AS id, count(*) AS n FROM features f JOIN resources r ON r.id = f.resource_id
    WHERE r.source_id IS NULL AND f.geometry_type = 'Point' GROUP BY f.resource_id ORDER BY n DESC LIMIT 1`).get() as { id: number; n: number }
  raw.close()

  const t0 = performance.now()
  const ours = await o.start(copy)
  const cookie = await o.session(copy, ours.url)
  const headers = { cookie }
  const centre = tileAt(106.63, 29.72, 12)
  const first = await get(`${ours.url}/api/tiles/${centre}.mvt`, headers)
  if (first.status !== 200) throw new Error(`first tile → ${first.status}`)
  const firstTileMs = performance.now() - t0
  const csrf = JSON.parse((await get(`${ours.url}/api/auth/session`, headers)).body.toString()).csrfToken as string

  const n = o.features ?? 100_000
  const file = pointsFile(n)
  const upload = async (path: string, fields: Record<string, string>) => {
    const form = new FormData()
    form.set('file', new Blob([new Uint8Array(file)]), 'points.geojson')
    for (const [k, v] of Object.entries(fields)) form.set(k, v)
    const t = performance.now()
    const res = await fetch(`${ours.url}${path}`, { method: 'POST', body: form, headers: { cookie, 'x-csrf-token': csrf, origin: ours.url } })
    const body = await res.json() as Record<string, unknown>
    if (res.status !== 200) throw new Error(`${path} → ${res.status}: ${JSON.stringify(body).slice(0, 300)}`)
    return { body, ms: performance.now() - t }
  }
  const preview = await upload(`/api/resources/${target.id}/geodata/preview`, {})

  // Warm tiles around the centre, asked in turn; the cheap request.
  const warm = [12, 13, 14].flatMap((z) => [[106.63, 29.72], [106.6, 29.7], [106.66, 29.75]].map(([x, y]) => `/api/tiles/${tileAt(x!, y!, z)}.mvt`))
  for (const p of warm) await get(ours.url + p, headers)
  let next = 0
  const meta = pinger(() => `${ours.url}/api/meta`, 100, headers)
  const tiles = pinger(() => `${ours.url}${warm[next++ % warm.length]}`, 100, headers)
  const imported = await upload(`/api/resources/${target.id}/geodata/import`, { planHash: String(preview.body.planHash) })
  const importedAt = performance.now()
  // Until a tile shows the new features: the index after the import is built meanwhile.
  const before = first.headers.etag
  let newTilesMs = NaN
  for (const deadline = importedAt + 60_000; performance.now() < deadline;) {
    const r = await get(`${ours.url}/api/tiles/${centre}.mvt`, headers)
    if (r.status === 200 && r.headers.etag !== before) {
      newTilesMs = performance.now() - importedAt
      break
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  const [metaPings, tilePings] = [await meta.stop(), await tiles.stop()]

  for (const p of o.sequence) await get(ours.url + p, headers)
  await new Promise((r) => setTimeout(r, 1000))
  const memory = o.memory(ours.child.pid!)
  ours.child.kill('SIGTERM')
  await new Promise((r) => ours.child.once('exit', r))
  if (Number(imported.body.inserted) !== n) throw new Error(`the import inserted ${String(imported.body.inserted)} of ${n} features`)
  return { readyMs: ours.readyMs, firstTileMs, features: n, previewMs: preview.ms, importMs: imported.ms, newTilesMs, meta: metaPings, tiles: tilePings, memory }
}
