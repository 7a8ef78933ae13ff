import { test } from 'vitest'
import assert from 'node:assert/strict'
import { smallCatalog, TEST_NOW, YUBEI_A, YUBEI_B } from '../helpers/app.js'

type Catalog = Awaited<ReturnType<typeof smallCatalog>>

async function call(t: Catalog, method: string, path: string, body?: unknown, key?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (key) headers.authorization = `Bearer ${key}`
  const res = await t.app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

async function issueKey(t: Catalog, systemId: number, label = '燃气平台对接') {
  const r = await call(t, 'POST', `/api/systems/${systemId}/api-keys`, { label })
  assert.equal(r.status, 201)
  return r.body as { id: number; key: string; prefix: string }
}

const count = async (t: Catalog, table: 'features' | 'resource_updates') => Number((await t.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
const point = (name: string, p: [number, number], extra: Record<string, unknown> = {}) =>
  ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: { kind: 'facility', name, ...extra } })

test('a key is shown once; the system page lists only its prefix, and the database holds only a SHA-256 hash', async () => {
  const t = await smallCatalog()
  const issued = await issueKey(t, t.ids.gasSys)
  assert.match(issued.key, /^csa_[A-Za-z0-9_-]{43}$/)
  assert.equal(issued.prefix, issued.key.slice(0, 12))
  const list = await call(t, 'GET', `/api/systems/${t.ids.gasSys}/api-keys`)
  assert.equal(list.body.items.length, 1)
  assert.equal(list.body.items[0].label, '燃气平台对接')
  assert.equal(JSON.stringify(list.body).includes(issued.key), false)
  const row = (await t.db.kysely.selectFrom('api_keys').selectAll().executeTakeFirstOrThrow()) as Record<string, unknown>
  assert.match(String(row.key_hash), /^[0-9a-f]{64}$/)
  assert.equal(Object.values(row).includes(issued.key), false)
  assert.equal((await call(t, 'POST', '/api/systems/999/api-keys', {})).status, 404)
})

test('a reported update is recorded, so the never-updated resource becomes on time', async () => {
  const t = await smallCatalog()
  const { key } = await issueKey(t, t.ids.gasSys)
  assert.equal((await t.get(`/api/resources/${t.ids.gas}`)).body.resource.freshness.status, 'never')
  const r = await call(t, 'POST', '/api/ingest/updates', { resourceId: t.ids.gas, updatedAt: '2026-06-15T11:30:00+08:00', recordCount: 1234 }, key)
  assert.equal(r.status, 201)
  assert.equal(r.body.updatedAt, '2026-06-15T03:30:00.000Z')
  const res = (await t.get(`/api/resources/${t.ids.gas}`)).body.resource
  assert.equal(res.freshness.status, 'on-time')
  assert.equal(res.freshness.lastUpdatedAt, '2026-06-15T03:30:00.000Z')
  const log = await t.db.kysely.selectFrom('resource_updates').select(['record_count', 'source']).where('resource_id', '=', t.ids.gas).orderBy('id').execute()
  assert.deepEqual(log, [{ record_count: 1234, source: 'api' }])
})

test('changed features are inserted, and one carrying the id of the resource\'s own feature replaces it', async () => {
  const t = await smallCatalog()
  const { key } = await issueKey(t, t.ids.gasSys)
  const first = await call(t, 'POST', '/api/ingest/updates', {
    resourceId: t.ids.gas, updatedAt: TEST_NOW.toISOString(), recordCount: 2,
    features: { type: 'FeatureCollection', features: [point('新建调压柜1号', YUBEI_A, { capacity: 30 }), point('新建调压柜2号', YUBEI_B)] },
  }, key)
  assert.equal(first.status, 201)
  assert.deepEqual([first.body.inserted, first.body.replaced], [2, 0])
  const [id1] = first.body.featureIds
  const before = await count(t, 'features')
  // The chemical warehouse (feature 1) belongs to another resource: its id does not let this key overwrite it.
  const second = await call(t, 'POST', '/api/ingest/updates', {
    resourceId: t.ids.gas, updatedAt: TEST_NOW.toISOString(), recordCount: 2,
    features: { type: 'FeatureCollection', features: [point('调压柜1号（改造后）', YUBEI_B, { id: id1 }), point('不该覆盖仓库', YUBEI_A, { id: 1 })] },
  }, key)
  assert.deepEqual([second.status, second.body.inserted, second.body.replaced], [201, 1, 1])
  assert.equal(await count(t, 'features'), before + 1)
  const replaced = (await t.get(`/api/features/${id1}`)).body
  assert.equal(replaced.properties.name, '调压柜1号（改造后）')
  assert.deepEqual(replaced.geometry.coordinates, YUBEI_B)
  assert.equal((await t.get('/api/features/1')).body.properties.name, '某化工仓库')
  // The map's bbox search (R*Tree) sees the moved feature at its new place.
  const near = (await t.get(`/api/features?bbox=${YUBEI_B[0] - 0.001},${YUBEI_B[1] - 0.001},${YUBEI_B[0] + 0.001},${YUBEI_B[1] + 0.001}&kind=facility`)).body
  assert.ok(near.features.some((f: any) => f.id === id1))
})

test('an invalid feature writes nothing and the 400 names the feature and the problem', async () => {
  const t = await smallCatalog()
  const { key } = await issueKey(t, t.ids.gasSys)
  const cases: [unknown, string, RegExp][] = [
    [point('境外', [2.35, 48.85]), 'features[1].geometry.coordinates', /features\[1\].*outside China/],
    [{ ...point('x', YUBEI_A), properties: { kind: 'ufo', name: 'x' } }, 'features[1].properties.kind', /unknown kind/],
    [{ type: 'Feature', geometry: { type: 'Point', coordinates: YUBEI_A }, properties: { kind: 'pipeline', name: '管' } }, 'features[1].geometry.type', /not allowed for pipeline/],
    [{ type: 'Feature', geometry: { type: 'Point', coordinates: ['106', 29] }, properties: { kind: 'facility', name: 'x' } }, 'features[1].geometry.coordinates', /longitude, latitude/],
    [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[YUBEI_A, YUBEI_B, [YUBEI_B[0], YUBEI_A[1]], [YUBEI_A[0], YUBEI_B[1]], YUBEI_A]] }, properties: { kind: 'facility', name: '蝴蝶结' } },
      'features[1].geometry.coordinates', /polygon is not valid: self intersection at \[106\.635, 29\.725\]/],
    [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: `${'['.repeat(5_000)}${']'.repeat(5_000)}` }, properties: { kind: 'facility', name: 'x' } }, 'features[1].geometry.coordinates', /not a valid Polygon/],
  ]
  for (const [bad, parameter, message] of cases) {
    const [features, updates] = [await count(t, 'features'), await count(t, 'resource_updates')]
    const r = await call(t, 'POST', '/api/ingest/updates', {
      resourceId: t.ids.gas, updatedAt: TEST_NOW.toISOString(), recordCount: 2,
      features: { type: 'FeatureCollection', features: [point('好的一个', YUBEI_A), bad] },
    }, key)
    assert.equal(r.status, 400, parameter)
    assert.equal(r.body.error.code, 'invalid_feature')
    assert.equal(r.body.error.details.parameter, parameter)
    assert.equal(r.body.error.details.index, 1)
    assert.match(r.body.error.message, message)
    assert.deepEqual([await count(t, 'features'), await count(t, 'resource_updates')], [features, updates], 'nothing written')
  }
})

test('missing, wrong and revoked keys are 401; another system\'s resource is 403; all as JSON errors', async () => {
  const t = await smallCatalog()
  const gasKey = await issueKey(t, t.ids.gasSys)
  const body = { resourceId: t.ids.gas, updatedAt: TEST_NOW.toISOString(), recordCount: 1 }
  const none = await call(t, 'POST', '/api/ingest/updates', body)
  assert.deepEqual([none.status, none.body.error.code], [401, 'unauthorized'])
  const wrong = await call(t, 'POST', '/api/ingest/updates', body, 'csa_not-a-real-key')
  assert.deepEqual([wrong.status, wrong.body.error.code], [401, 'unauthorized'])
  const other = await call(t, 'POST', '/api/ingest/updates', { ...body, resourceId: t.ids.chem }, gasKey.key)
  assert.deepEqual([other.status, other.body.error.code], [403, 'forbidden'])
  assert.equal(await count(t, 'resource_updates'), 3, 'nothing recorded')
  const revoked = await call(t, 'POST', `/api/systems/${t.ids.gasSys}/api-keys/${gasKey.id}/revoke`)
  assert.equal(revoked.status, 200)
  assert.ok(revoked.body.revokedAt)
  const after = await call(t, 'POST', '/api/ingest/updates', body, gasKey.key)
  assert.deepEqual([after.status, after.body.error.code], [401, 'unauthorized'])
  // A key can only be revoked through its own system.
  const chemKey = await issueKey(t, t.ids.chemSys)
  assert.equal((await call(t, 'POST', `/api/systems/${t.ids.gasSys}/api-keys/${chemKey.id}/revoke`)).status, 404)
})

test('bad update fields are 400 naming the field', async () => {
  const t = await smallCatalog()
  const { key } = await issueKey(t, t.ids.gasSys)
  const base = { resourceId: t.ids.gas, updatedAt: TEST_NOW.toISOString(), recordCount: 1 }
  const cases: [unknown, string][] = [
    [{ ...base, resourceId: 'x' }, 'resourceId'],
    [{ ...base, updatedAt: '昨天' }, 'updatedAt'],
    [{ ...base, updatedAt: '2026-06-16T04:00:00Z' }, 'updatedAt'],
    [{ ...base, recordCount: -1 }, 'recordCount'],
    [{ ...base, features: { type: 'Feature' } }, 'features'],
  ]
  for (const [b, parameter] of cases) {
    const r = await call(t, 'POST', '/api/ingest/updates', b, key)
    assert.equal(r.status, 400, parameter)
    assert.equal(r.body.error.details.parameter, parameter)
  }
  const res = await t.app.request('/api/ingest/updates', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{not json' })
  assert.equal(res.status, 400)
  assert.equal((await call(t, 'POST', '/api/ingest/updates', { ...base, resourceId: 99999 }, key)).status, 404)
})

test('a report nested far deeper than any feature needs is a 400 naming the depth, before it is parsed', async () => {
  const t = await smallCatalog()
  const { key } = await issueKey(t, t.ids.gasSys)
  for (const depth of [5_000, 200_000]) {
    const body = `{"resourceId":${t.ids.gas},"updatedAt":"${TEST_NOW.toISOString()}","features":{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kind":"facility","name":"x"},"geometry":{"type":"Polygon","coordinates":${'['.repeat(depth)}${']'.repeat(depth)}}}]}}`
    const res = await t.app.request('/api/ingest/updates', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body })
    assert.equal(res.status, 400)
    const error = ((await res.json()) as { error: { code: string; message: string } }).error
    assert.equal(error.code, 'too_deep')
    assert.match(error.message, /deeper than 32 levels/)
  }
  assert.equal(await count(t, 'resource_updates') > 0, true)
})
