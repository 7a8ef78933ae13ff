import mqtt, { type MqttClient } from 'mqtt'
import type { Db } from '../db/connect.js'
import { Random } from '../demo/random.js'
import { channelsFromName, DEFAULT_RULES, type AlarmLevel, type SensorChannel } from '../domain/monitoring.js'
import { generateApiKey, hashApiKey, KEY_PREFIX_LENGTH } from '../ingest/keys.js'
import { insertApiKey, revokeKeysLabelled } from '../ingest/queries.js'

/**
 * The demo's sensors: plausible readings for some of the demo city's monitoring points, sent the way a
 * department's system sends them (over HTTP to this server, or over MQTT when the server takes
 * readings from a broker), with the keys the simulator issues itself at each start (labelled
 * 演示模拟器; the previous ones are revoked). Values wander around each sensor's own baseline; every
 * so often one sensor climbs past a threshold for a while and comes back, so the alarms move a few
 * times a minute. Deterministic for a seed: the same sensors, baselines and excursions in the same order.
 */
export const SIMULATOR_LABEL = '演示模拟器'

/** Baseline range and noise (standard deviation) of each channel in normal operation. */
const NORMAL: Record<SensorChannel, { low: number; high: number; noise: number; digits: number }> = {
  gas: { low: 0, high: 3, noise: 0.3, digits: 1 },
  pressure: { low: 0.28, high: 0.34, noise: 0.004, digits: 3 },
  'water-level': { low: 0.4, high: 1, noise: 0.02, digits: 2 },
  displacement: { low: 1, high: 4, noise: 0.15, digits: 1 },
  strain: { low: 60, high: 110, noise: 3, digits: 0 },
  rainfall: { low: 0, high: 6, noise: 0.5, digits: 1 },
  smoke: { low: 0, high: 0.6, noise: 0.05, digits: 2 },
  temperature: { low: 28, high: 45, noise: 0.4, digits: 1 },
  'residual-current': { low: 60, high: 180, noise: 6, digits: 0 },
}
const LEVEL_ODDS: [AlarmLevel, number][] = [['blue', 0.4], ['yellow', 0.3], ['orange', 0.2], ['red', 0.1]]

interface SimSensor { point: number; systemId: number; channel: SensorChannel; base: number }
interface Excursion { sensor: SimSensor; start: number; rise: number; hold: number; peak: number }

export interface SimulatorOptions {
  /** The server's own address (http://127.0.0.1:<port>) for readings over HTTP. */
  baseUrl: string
  /** Send over MQTT instead (the broker the server subscribes to). */
  mqtt?: { url: string; topicPrefix: string } | null
  seed: number
  /** Sensors simulated (at most one per monitoring point). */
  sensors?: number
  everyMs?: number
  /** How often, on average, a sensor starts an excursion past a threshold. */
  excursionEveryMs?: number
}

export interface Simulator {
  sensors: number
  stop(): Promise<void>
}

export async function startSimulator(db: Db, o: SimulatorOptions): Promise<Simulator> {
  const rnd = new Random(o.seed)
  const points = await db.kysely.selectFrom('features as f').innerJoin('resources as r', 'r.id', 'f.resource_id')
    .select(['f.id', 'f.name', 'r.system_id']).where('f.kind', '=', 'monitoring-point').where('f.source_id', 'is', null).orderBy('f.id').execute()
  const candidates = points.flatMap((p) => {
    const [channel] = channelsFromName(p.name)
    return channel ? [{ point: Number(p.id), systemId: Number(p.system_id), channel }] : []
  })
  const wanted = Math.min(o.sensors ?? 300, candidates.length)
  const step = candidates.length / Math.max(1, wanted)
  const sensors: SimSensor[] = Array.from({ length: wanted }, (_, i) => {
    const c = candidates[Math.floor(i * step)]!
    const n = NORMAL[c.channel]
    return { ...c, base: rnd.between(n.low, n.high) }
  })
  if (!sensors.length) return { sensors: 0, stop: async () => {} }

  // A key per system, issued now; the simulator's keys of earlier starts stop working.
  const keys = new Map<number, string>()
  const at = new Date().toISOString()
  for (const systemId of new Set(sensors.map((s) => s.systemId))) {
    await revokeKeysLabelled(db, systemId, SIMULATOR_LABEL, at)
    const key = generateApiKey()
    await insertApiKey(db, systemId, key.slice(0, KEY_PREFIX_LENGTH), hashApiKey(key), SIMULATOR_LABEL, at)
    keys.set(systemId, key)
  }

  let client: MqttClient | null = null
  if (o.mqtt) client = await mqtt.connectAsync(o.mqtt.url, { protocolVersion: 5 })
  const everyMs = o.everyMs ?? 5000
  const excursionEveryMs = o.excursionEveryMs ?? 20_000
  const excursions: Excursion[] = []
  let nextExcursion = Date.now() + rnd.between(0.2, 1) * excursionEveryMs

  const valueOf = (s: SimSensor, now: number): number => {
    const n = NORMAL[s.channel]
    let v = s.base + rnd.normal() * n.noise
    for (const e of excursions) {
      if (e.sensor !== s) continue
      const t = now - e.start
      const f = t < e.rise ? t / e.rise : t < e.rise + e.hold ? 1 : Math.max(0, 1 - (t - e.rise - e.hold) / e.rise)
      v = s.base + (e.peak - s.base) * f + rnd.normal() * n.noise * 0.5
    }
    const bounded = s.channel === 'pressure' || s.channel === 'water-level' ? v : Math.max(0, v)
    return Number(bounded.toFixed(n.digits))
  }

  const startExcursion = (now: number) => {
    const idle = sensors.filter((s) => !excursions.some((e) => e.sensor === s))
    const sensor = rnd.pick(idle)
    let r = rnd.next()
    const level = LEVEL_ODDS.find(([, p]) => (r -= p) < 0)?.[0] ?? 'blue'
    const rule = DEFAULT_RULES.find((d) => d.channel === sensor.channel)!
    const threshold = rule.levels[level][0]
    const peak = rule.direction === 'above' ? threshold * rnd.between(1.05, 1.2) : threshold * rnd.between(0.8, 0.95)
    excursions.push({ sensor, start: now, rise: 15_000, hold: (rule.minDurationS + rnd.between(45, 150)) * 1000, peak })
  }

  const tick = async () => {
    const now = Date.now()
    for (let i = excursions.length - 1; i >= 0; i--) {
      const e = excursions[i]!
      if (now - e.start > e.rise * 2 + e.hold) excursions.splice(i, 1)
    }
    if (now >= nextExcursion) {
      startExcursion(now)
      nextExcursion = now + rnd.between(0.5, 1.5) * excursionEveryMs
    }
    const when = new Date(now).toISOString()
    const bySystem = new Map<number, unknown[]>()
    for (const s of sensors) {
      const list = bySystem.get(s.systemId) ?? []
      list.push({ point: s.point, channel: s.channel, value: valueOf(s, now), at: when })
      bySystem.set(s.systemId, list)
    }
    for (const [systemId, readings] of bySystem) {
      const key = keys.get(systemId)!
      if (client) {
        await client.publishAsync(`${o.mqtt!.topicPrefix}/${systemId}/readings`, JSON.stringify({ key, readings }), { qos: 1 })
      } else {
        const res = await fetch(`${o.baseUrl}/api/ingest/readings`, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ readings }),
          signal: AbortSignal.timeout(10_000),
        })
        await res.arrayBuffer()
      }
    }
  }

  let running = false
  let stopped = false
  const timer = setInterval(() => {
    if (running || stopped) return
    running = true
    tick().catch((err: unknown) => console.error(`sensor simulator: ${err instanceof Error ? err.message : err}`)).finally(() => { running = false })
  }, everyMs)
  timer.unref()
  return {
    sensors: sensors.length,
    stop: async () => {
      stopped = true
      clearInterval(timer)
      await client?.endAsync()
    },
  }
}
