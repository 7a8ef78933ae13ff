/**
 * The monitoring benchmark: the demo city generated at a scale with some 100,000 monitoring points, our
 * server started on it as a child process on 127.0.0.1 with a Mosquitto broker of its own, then, side by
 * side in one run:
 * - sustained ingest over HTTP (batches of 1,000 readings at the target rate) and then over MQTT
 *   (QoS 1 messages of 1,000 readings) for the given time each, with every reading accounted for
 *   (stored, or refused with a reason) and the stored count checked in the database at the end;
 * - reading → alarm → event: probe readings past a threshold sent during each phase, timed until the
 *   alarm event arrives on a connected event stream;
 * - 200 event streams connected throughout, each expected to receive every probe's event;
 * - the API's p95 (the alarm list and the overview statistics) idle and while ingesting.
 *
 *   npm run bench:monitoring -- [--scale 12] [--seconds 120] [--rate 5000] [--clients 200] [--db file] [--keep]
 */
import { spawnSync, type ChildProcess } from 'node:child_process'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import mqtt from 'mqtt'
import { REPO_ROOT } from '../../server/config.js'
import { openSqlite } from '../../server/db/connect.js'
import { channelsFromName } from '../../server/domain/monitoring.js'
import { generateApiKey, hashApiKey, KEY_PREFIX_LENGTH } from '../../server/ingest/keys.js'
import { agent, get, percentiles } from './http.js'
import { benchSession } from './session.js'
import { startBenchServer } from './server.js'
import { startMosquitto } from '../../tests/helpers/mosquitto.js'

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '12' },
    seconds: { type: 'string', default: '120' },
    rate: { type: 'string', default: '5000' },
    clients: { type: 'string', default: '200' },
    batch: { type: 'string', default: '1000' },
    db: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
})
const seconds = Number(values.seconds)
const rate = Number(values.rate)
const clients = Number(values.clients)
const batchSize = Number(values.batch)
const node = process.execPath
const children: ChildProcess[] = []
const cleanups: (() => void | Promise<void>)[] = []
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
})
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '–')

// 1. Data: the demo city, and an API key for each system with monitoring points (written before the server starts).
const workDir = mkdtempSync(join(tmpdir(), 'atlas-bench-monitoring-'))
const dbFile = values.db ?? join(workDir, 'atlas.sqlite')
if (!existsSync(dbFile)) {
  const r = spawnSync(node, ['--import', 'tsx', 'scripts/generate-demo.ts', '--scale', values.scale!, '--out', dbFile], { cwd: REPO_ROOT, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`demo generation failed:\n${r.stderr}`)
  console.log(r.stdout.trim())
}
interface Point { id: number; systemId: number; channel: string; low: number }
const points: Point[] = []
const keys = new Map<number, string>()
{
  const db = openSqlite(dbFile)
  const rows = await db.kysely.selectFrom('features as f').innerJoin('resources as r', 'r.id', 'f.resource_id')
    .select(['f.id', 'f.name', 'r.system_id']).where('f.kind', '=', 'monitoring-point').orderBy('f.id').execute()
  // Normal values, well below (or above, for pressure) every default threshold.
  const normal: Record<string, number> = { gas: 1, pressure: 0.3, 'water-level': 0.6, displacement: 2, strain: 80, rainfall: 2, smoke: 0.2, temperature: 35, 'residual-current': 100 }
  for (const r of rows) {
    const channel = channelsFromName(r.name)[0] ?? 'temperature'
    points.push({ id: Number(r.id), systemId: Number(r.system_id), channel, low: normal[channel]! })
  }
  const at = new Date().toISOString()
  for (const systemId of new Set(points.map((p) => p.systemId))) {
    const key = generateApiKey()
    await db.kysely.insertInto('api_keys').values({ system_id: systemId, prefix: key.slice(0, KEY_PREFIX_LENGTH), key_hash: hashApiKey(key), label: 'bench', created_at: at }).execute()
    keys.set(systemId, key)
  }
  await db.close()
}
console.log(`${points.length.toLocaleString('en')} monitoring points in ${keys.size} systems`)

// 2. A broker and our server.
const broker = await startMosquitto()
cleanups.push(() => broker.stop())
const secret = randomBytes(36).toString('base64url')
const prefix = 'bench'
const { url, child } = await startBenchServer({
  DATABASE_URL: dbFile, WEB_ROOT: join(workDir, 'no-web'), SESSION_SECRET: secret, MQTT_URL: broker.url, MQTT_TOPIC_PREFIX: prefix, MALLOC_ARENA_MAX: '2',
}, children, /MQTT: taking sensor readings/)
const cookie = await benchSession(dbFile, url)

// 3. Event streams: `clients` of them, all as the administrator; each counts the alarm events it gets.
interface Stream { events: Map<number, number>; res: IncomingMessage | null }
const waiting = new Map<number, (t: number) => void>()
const streams: Stream[] = []
function openStream(first: boolean): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const s: Stream = { events: new Map(), res: null }
    const req = httpRequest(`${url}/api/events`, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      s.res = res
      let buf = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buf += chunk
        let end: number
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end)
          buf = buf.slice(end + 2)
          if (!block.includes('event: alarm')) {
            if (block.includes('event: hello')) resolve(s)
            continue
          }
          const data = JSON.parse(block.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { alarm: { featureId: number }; step: { action: string } }
          if (data.step.action !== 'raise' && data.step.action !== 'merge') continue
          s.events.set(data.alarm.featureId, (s.events.get(data.alarm.featureId) ?? 0) + 1)
          if (first) waiting.get(data.alarm.featureId)?.(performance.now())
        }
      })
    })
    req.on('error', reject)
    req.end()
  })
}
for (let i = 0; i < clients; i++) streams.push(await openStream(i === 0))
console.log(`${streams.length} event streams connected`)

// 4. The API's p95, idle and while ingesting.
const apiPaths = ['/api/alarms?open=true&limit=50', '/api/stats/overview']
async function apiSample(until: () => boolean): Promise<number[]> {
  const ms: number[] = []
  for (let i = 0; !until(); i++) {
    const r = await get(`${url}${apiPaths[i % apiPaths.length]}`, { cookie })
    if (r.status !== 200) throw new Error(`API ${r.status}`)
    ms.push(r.ms)
    await sleep(20)
  }
  return ms
}
// Warm first (the statistics and the alarm list are read once before they are kept), then idle.
for (let i = 0; i < 20; i++) await get(`${url}${apiPaths[i % apiPaths.length]}`, { cookie })
const idleUntil = Date.now() + 10_000
const idle = percentiles(await apiSample(() => Date.now() > idleUntil))

// 5. Probes: points (gas) kept apart from the load, each sent one reading past 一级 in a phase.
const probePool = points.filter((p) => p.channel === 'gas').slice(0, 200)
const probeIds = new Set(probePool.map((p) => p.id))
const loadPoints = points.filter((p) => !probeIds.has(p.id))
const nowIso = (ms: number) => new Date(ms).toISOString()

function postReadings(key: string, readings: unknown[]): Promise<any> {
  const body = JSON.stringify({ readings })
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/api/ingest/readings`, { method: 'POST', agent, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => (res.statusCode === 200 || res.statusCode === 400 ? resolve(JSON.parse(text)) : reject(new Error(`ingest ${res.statusCode}: ${text.slice(0, 200)}`))))
    })
    req.on('error', reject)
    req.end(body)
  })
}

interface PhaseResult { sent: number; accepted: number; duplicates: number; rejected: number; failed: number; seconds: number; latency: number[]; api: ReturnType<typeof percentiles> }

async function phase(name: 'HTTP' | 'MQTT', probes: Point[]): Promise<PhaseResult> {
  const r: PhaseResult = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, failed: 0, seconds: 0, latency: [], api: idle }
  const client = name === 'MQTT' ? await mqtt.connectAsync(broker.url, { protocolVersion: 5 }) : null
  const pendingResults = new Map<string, number>()
  if (client) {
    client.on('message', (_t, payload) => {
      const rep = JSON.parse(payload.toString()) as { accepted?: number; duplicates?: number; rejected?: number; error?: unknown }
      if (rep.error) r.failed++
      r.accepted += rep.accepted ?? 0
      r.duplicates += rep.duplicates ?? 0
      r.rejected += rep.rejected ?? 0
    })
    await client.subscribeAsync(`${prefix}/+/result`, { qos: 1 })
  }
  let cursor = 0
  let stop = false
  const t0 = performance.now()
  const interval = (batchSize / rate) * 1000
  const inFlight = new Set<Promise<void>>()
  const send = async (systemId: number, readings: { point: number }[]) => {
    r.sent += readings.length
    const key = keys.get(systemId)!
    if (client) {
      await client.publishAsync(`${prefix}/${systemId}/readings`, JSON.stringify({ key, readings }), { qos: 1 })
      pendingResults.set(String(systemId), (pendingResults.get(String(systemId)) ?? 0) + 1)
      return
    }
    try {
      const rep = await postReadings(key, readings)
      r.accepted += rep.accepted ?? 0
      r.duplicates += rep.duplicates ?? 0
      r.rejected += rep.rejected ?? 0
    } catch {
      r.failed += readings.length
    }
  }
  // Load: a batch every `interval` ms, each of one system's points in turn (a system's own readings).
  const loader = (async () => {
    for (let n = 0; !stop; n++) {
      const due = t0 + n * interval
      const wait = due - performance.now()
      if (wait > 0) await sleep(wait)
      const at = Date.now()
      // The next `batchSize` points of the ring, sent as one request (or message) per system.
      const bySystem = new Map<number, { point: number; channel: string; value: number; at: string }[]>()
      for (let i = 0; i < batchSize; i++, cursor++) {
        const p = loadPoints[cursor % loadPoints.length]!
        let list = bySystem.get(p.systemId)
        if (!list) bySystem.set(p.systemId, (list = []))
        list.push({ point: p.id, channel: p.channel, value: p.low, at: nowIso(at) })
      }
      for (const [systemId, readings] of bySystem) {
        const job = send(systemId, readings).finally(() => inFlight.delete(job))
        inFlight.add(job)
      }
      // Never more than a few batches at once: a slower server makes the load wait, and it shows in the rate.
      while (inFlight.size >= 16) await Promise.race(inFlight)
    }
  })()
  // Probes every 2 s: one reading past 一级 (gas ≥ 50 %LEL) at a point, timed to its event on stream 0.
  const prober = (async () => {
    for (const p of probes) {
      if (stop) break
      await sleep(2000)
      const got = new Promise<number>((resolve) => waiting.set(p.id, resolve))
      const sent = performance.now()
      const readings = [{ point: p.id, channel: 'gas', value: 60, at: nowIso(Date.now()) }]
      void send(p.systemId, readings)
      const arrived = await Promise.race([got, sleep(10_000).then(() => NaN)])
      waiting.delete(p.id)
      r.latency.push(arrived - sent)
    }
  })()
  const endAt = Date.now() + seconds * 1000
  const apiDuring = apiSample(() => Date.now() > endAt)
  await sleep(seconds * 1000)
  stop = true
  await Promise.all([loader, prober])
  await Promise.all(inFlight)
  r.seconds = (performance.now() - t0) / 1000
  r.api = percentiles(await apiDuring)
  if (client) {
    // Results of the last messages.
    for (let i = 0; i < 300 && r.accepted + r.duplicates + r.rejected < r.sent && r.failed === 0; i++) await sleep(100)
    await client.endAsync()
  }
  console.log(`${name}: sent ${r.sent.toLocaleString('en')} readings in ${r.seconds.toFixed(0)} s`)
  return r
}

const probesPerPhase = Math.min(Math.floor(seconds / 2) - 1, probePool.length / 2)
const http = await phase('HTTP', probePool.slice(0, probesPerPhase))
const viaMqtt = await phase('MQTT', probePool.slice(probesPerPhase, probesPerPhase * 2))
await sleep(1000)

// 6. Checks: what the database holds, what each stream received, the server's memory.
const stored = (() => {
  const db = openSqlite(dbFile)
  try {
    return Number(db.sqlite.prepare('SELECT count(*) FROM readings').pluck().get())
  } finally {
    void db.close()
  }
})()
const probeCount = http.latency.length + viaMqtt.latency.length
const perStream = streams.map((s) => [...s.events.values()].reduce((a, b) => a + b, 0))
const rss = Number(spawnSync('ps', ['-o', 'rss=', '-p', String(child.pid)], { encoding: 'utf8' }).stdout.trim()) * 1024

const row = (label: string, p: PhaseResult) => {
  const lost = p.sent - p.accepted - p.duplicates - p.rejected
  const lat = percentiles(p.latency.filter(Number.isFinite))
  return `| ${label} | ${Math.round(p.accepted / p.seconds).toLocaleString('en')}/s | ${p.accepted.toLocaleString('en')} of ${p.sent.toLocaleString('en')} | ${lost.toLocaleString('en')} | ${p.rejected} | ${f1(lat.p50)} / ${f1(lat.p95)} ms (${lat.n} of ${p.latency.length}) | ${f1(p.api.p95)} ms (${f1(p.api.p95 / idle.p95)}×) |`
}
console.log(`\nMonitoring at ${points.length.toLocaleString('en')} points, ${clients} event streams, target ${rate.toLocaleString('en')} readings/s for ${seconds} s per way in`)
console.log('| way in | stored per second | stored of sent | lost | refused | reading → event p50 / p95 | API p95 while ingesting (vs idle) |')
console.log('|---|---|---|---|---|---|---|')
console.log(row('HTTP batches of ' + batchSize, http))
console.log(row('MQTT QoS 1 messages of ' + batchSize, viaMqtt))
console.log(`API p95 idle: ${f1(idle.p95)} ms (${idle.n} requests: ${apiPaths.join(', ')})`)
console.log(`readings in the database: ${stored.toLocaleString('en')} (stored by the server: ${(http.accepted + viaMqtt.accepted).toLocaleString('en')})`)
console.log(`event streams: ${streams.length} connected; probe events received per stream: min ${Math.min(...perStream)}, max ${Math.max(...perStream)} of ${probeCount} probes`)
console.log(`server RSS at the end: ${(rss / 1048576).toFixed(0)} MiB`)

for (const s of streams) s.res?.destroy()
child.kill('SIGTERM')
await new Promise((r) => child.once('exit', r))
for (const c of cleanups) await c()
if (!values.keep && !values.db) rmSync(workDir, { recursive: true, force: true })
process.exit(0)
