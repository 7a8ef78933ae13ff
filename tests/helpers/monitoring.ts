import { Fixture, testApp, TEST_NOW, YUBEI_A, YUBEI_B, YUBEI_FAR } from './app.js'

/**
 * A small catalog with monitoring points and a clock the test moves: 城市管理局's 燃气监管平台 with a
 * public resource of two points (gas, pressure), and 应急局's 危化品监管系统 with an internal resource of
 * one (another system's key may not report for it). `send` posts readings with the gas system's key.
 */
export async function monitored() {
  let clock = TEST_NOW
  const t = await testApp({ now: () => clock })
  const fx = new Fixture(t.db, t.locator)
  const city = await fx.department('渝北区城市管理局')
  const emergency = await fx.department('渝北区应急局')
  const gasSys = await fx.system(city, '燃气监管平台')
  const chemSys = await fx.system(emergency, '危化品监管系统')
  const gasLive = await fx.resource(gasSys, '燃气泄漏实时监测', { subcategory: 'gas', updateCycle: 'realtime', purpose: 'monitoring', sensitivity: 'public' })
  const chemLive = await fx.resource(chemSys, '危险源实时监测', { subcategory: 'hazard-source', updateCycle: 'realtime', purpose: 'monitoring' })
  await fx.features([
    { resourceId: gasLive, kind: 'monitoring-point', name: '金开大道燃气阀井甲烷监测点1', geometry: { type: 'Point', coordinates: YUBEI_A }, updatedAt: TEST_NOW.toISOString() },
    { resourceId: gasLive, kind: 'monitoring-point', name: '新牌坊燃气管网压力监测点2', geometry: { type: 'Point', coordinates: YUBEI_B }, updatedAt: TEST_NOW.toISOString() },
    { resourceId: chemLive, kind: 'monitoring-point', name: '某化工仓库可燃气体探测点', geometry: { type: 'Point', coordinates: YUBEI_FAR }, updatedAt: TEST_NOW.toISOString() },
  ])
  const ids = (await t.db.kysely.selectFrom('features').select(['id', 'name']).orderBy('id').execute()).map((r) => Number(r.id))
  const [gasPoint, pressurePoint, chemPoint] = ids as [number, number, number]
  const key = async (systemId: number) => {
    const r = await t.app.request(`/api/systems/${systemId}/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"接入"}' })
    return ((await r.json()) as { key: string }).key
  }
  const gasKey = await key(gasSys)
  const send = async (readings: unknown, k = gasKey) => {
    const res = await t.raw.request('/api/ingest/readings', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${k}` }, body: typeof readings === 'string' ? readings : JSON.stringify({ readings }) })
    return { status: res.status, body: (await res.json()) as any }
  }
  const at = (s: number) => new Date(clock.getTime() + s * 1000).toISOString()
  return {
    ...t, fx, city, emergency, gasSys, chemSys, gasLive, chemLive, gasPoint, pressurePoint, chemPoint, gasKey, key, send, at,
    tick: (seconds: number) => { clock = new Date(clock.getTime() + seconds * 1000) },
    now: () => clock,
  }
}

export type Monitored = Awaited<ReturnType<typeof monitored>>
