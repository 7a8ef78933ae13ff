import { hostname } from 'node:os'
import mqtt, { type MqttClient } from 'mqtt'
import type { Db } from '../db/connect.js'
import { AppError } from '../http/errors.js'
import { activeKeyByHash, touchApiKey } from '../ingest/queries.js'
import { hashApiKey } from '../ingest/keys.js'
import { intakeStatsOf, takeReadingsOffThread } from './intake.js'

/**
 * Sensor readings over MQTT: the server subscribes to `<prefix>/<system id>/readings` on the broker
 * named by MQTT_URL. A message is JSON `{"key": "csa_…", "readings": [...]}` — the same readings as the
 * HTTP endpoint, with the system's API key, which must belong to the system of the topic. Messages are
 * taken one at a time and acknowledged (QoS 1) only once stored, so a message the server had not
 * stored when it stopped is delivered again. Several server processes share one subscription (MQTT 5
 * shared subscriptions): each message is taken by one of them. The result of each message (counts and
 * the first problems, never the key) is published to `<prefix>/<system id>/result`.
 */
export interface MqttIntakeOptions {
  url: string
  /** The database a worker thread may open (SQLite file): batches are then stored off the server's thread. */
  databaseUrl: string | null
  topicPrefix: string
  rawDays: number
  now: () => Date
}

export interface MqttIntake {
  /** Resolves once subscribed (rejects if the first connection fails). */
  ready: Promise<void>
  connected(): boolean
  stop(): Promise<void>
}

/** The shared-subscription group of the atlas's processes. */
const GROUP = 'city-safety-atlas'

export function startMqttIntake(db: Db, o: MqttIntakeOptions): MqttIntake {
  const topic = `${o.topicPrefix}/+/readings`
  const pattern = new RegExp(`^${o.topicPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([1-9]\\d{0,15})/readings$`)
  const stats = intakeStatsOf(db)
  const client: MqttClient = mqtt.connect(o.url, {
    protocolVersion: 5,
    clientId: `csa-${hostname().slice(0, 40)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
  })
  // Taken one at a time, acknowledged after the transaction: the broker sends the next meanwhile.
  client.handleMessage = (packet, done) => {
    void take(packet.topic, packet.payload as Buffer).finally(() => done())
  }

  async function take(t: string, payload: Buffer): Promise<void> {
    const m = pattern.exec(t)
    if (!m) return
    const systemId = Number(m[1])
    const answer = (body: unknown) => client.publish(`${o.topicPrefix}/${systemId}/result`, JSON.stringify(body), { qos: 0 })
    try {
      if (payload.length > 4 * 1024 * 1024) throw new AppError(413, 'too_large', 'a message may carry at most 4 MB: send at most 10,000 readings a message')
      let body: { key?: unknown; readings?: unknown }
      try {
        body = JSON.parse(payload.toString('utf8')) as typeof body
      } catch {
        throw new AppError(400, 'invalid_parameter', 'the message must be JSON: {"key": "csa_…", "readings": [...]}')
      }
      if (typeof body?.key !== 'string') throw new AppError(401, 'unauthorized', 'the message must carry the system\'s API key as "key"')
      const owner = await activeKeyByHash(db, hashApiKey(body.key))
      if (!owner || owner.systemId !== systemId) throw new AppError(401, 'unauthorized', `unknown or revoked API key, or a key of another system than ${systemId}`)
      if (!Array.isArray(body.readings)) throw new AppError(400, 'invalid_parameter', 'invalid readings: must be an array of readings')
      const report = await takeReadingsOffThread(db, o.databaseUrl, { readings: body.readings }, { systemId, now: o.now(), rawDays: o.rawDays })
      await touchApiKey(db, owner.id, o.now())
      stats.record('mqtt', systemId, report)
      answer(report)
    } catch (err) {
      const e = err instanceof AppError ? err : new AppError(500, 'internal', 'the message could not be stored')
      if (!(err instanceof AppError)) console.error(`MQTT message on ${t}: ${err instanceof Error ? err.message : err}`)
      stats.refuse('mqtt', systemId, e.message)
      answer({ error: { code: e.code, message: e.message } })
    }
  }

  stats.mqtt = { url: redact(o.url), connected: () => client.connected }
  let subscribed = false
  const ready = new Promise<void>((resolve, reject) => {
    client.on('connect', () => {
      client.subscribe(`$share/${GROUP}/${topic}`, { qos: 1 }, (err) => {
        if (err) {
          console.error(`MQTT: cannot subscribe to ${topic}: ${err.message}`)
          reject(err)
          return
        }
        if (!subscribed) console.log(`MQTT: taking sensor readings from ${redact(o.url)} on ${topic}`)
        subscribed = true
        resolve()
      })
    })
    client.once('error', (err) => {
      if (!subscribed) reject(err)
    })
  })
  ready.catch(() => {})
  client.on('error', (err) => console.error(`MQTT: ${err.message}`))
  return {
    ready,
    connected: () => client.connected,
    stop: () => client.endAsync().then(() => {}),
  }
}

function redact(url: string): string {
  const u = new URL(url)
  if (u.password) u.password = '***'
  return u.toString()
}
