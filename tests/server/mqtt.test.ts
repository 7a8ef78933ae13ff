import { afterAll, beforeAll, test } from 'vitest'
import assert from 'node:assert/strict'
import mqtt from 'mqtt'
import { monitored } from '../helpers/monitoring.js'
import { hasMosquitto, startMosquitto } from '../helpers/mosquitto.js'
import { startMqttIntake } from '../../server/monitoring/mqtt.js'

let broker: Awaited<ReturnType<typeof startMosquitto>>
beforeAll(async () => {
  if (hasMosquitto) broker = await startMosquitto()
})
afterAll(async () => {
  await broker?.stop()
})

/** Publishes `body` on the system's topic and waits for the server's result on its result topic. */
async function publish(url: string, systemId: number, body: unknown): Promise<any> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5 })
  try {
    const answer = new Promise<any>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no result within 5 s')), 5000)
      client.on('message', (_t, payload) => {
        clearTimeout(timer)
        resolve(JSON.parse(payload.toString()))
      })
    })
    await client.subscribeAsync(`atlas-test/${systemId}/result`, { qos: 1 })
    await client.publishAsync(`atlas-test/${systemId}/readings`, typeof body === 'string' ? body : JSON.stringify(body), { qos: 1 })
    return await answer
  } finally {
    await client.endAsync()
  }
}

test.skipIf(!hasMosquitto)('readings published to a real Mosquitto are stored and raise alarms; a wrong key or another system\'s topic is refused', async () => {
  const t = await monitored()
  const intake = startMqttIntake(t.db, { url: broker.url, databaseUrl: null, topicPrefix: 'atlas-test', rawDays: 30, now: t.now })
  try {
    await intake.ready
    const good = await publish(broker.url, t.gasSys, { key: t.gasKey, readings: [
      { point: t.gasPoint, channel: 'gas', value: 2, at: t.at(-60) },
      { point: t.gasPoint, channel: 'gas', value: 52, at: t.at(0) },
      { point: t.gasPoint, channel: 'gas', value: 'high', at: t.at(0) },
    ] })
    assert.deepEqual([good.accepted, good.rejected, good.rejectedBy, good.alarms.raised], [2, 1, { 'not-a-number': 1 }, 1])
    const alarms = (await t.get('/api/alarms')).body
    assert.deepEqual(alarms.items.map((a: any) => [a.level, a.pointName]), [['red', '金开大道燃气阀井甲烷监测点1']])
    const wrongKey = await publish(broker.url, t.gasSys, { key: 'csa_not-a-key', readings: [] })
    assert.equal(wrongKey.error.code, 'unauthorized')
    const otherTopic = await publish(broker.url, t.chemSys, { key: t.gasKey, readings: [{ point: t.chemPoint, channel: 'gas', value: 1, at: t.at(0) }] })
    assert.equal(otherTopic.error.code, 'unauthorized')
    const notJson = await publish(broker.url, t.gasSys, '{"key":')
    assert.equal(notJson.error.code, 'invalid_parameter')
    const stored = await t.db.kysely.selectFrom('readings').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
    assert.equal(Number(stored.n), 2)
    const intakeList = (await t.get('/api/monitoring/intake')).body
    assert.equal(intakeList.mqtt.connected, true)
    assert.deepEqual(intakeList.items.map((i: any) => [i.source, i.systemName, i.accepted, i.refused]), [['mqtt', '燃气监管平台', 2, 2], ['mqtt', '危化品监管系统', 0, 1]])
  } finally {
    await intake.stop()
  }
})
