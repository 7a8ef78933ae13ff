import assert from 'node:assert/strict'
import { afterEach, test } from 'vitest'
import { answer, api, ApiError, send, setClientHooks } from '../../web/api/client.js'
import { emptyFilters, filtersToQuery } from '../../web/api/filter-params.js'
import { formUpload } from '../../web/api/forms.js'
import { allFeatures } from '../../web/api/geojson.js'

interface Seen { url: URL; method: string; headers: Headers; body: RequestInit['body']; credentials?: RequestInit['credentials'] }
const realFetch = globalThis.fetch
afterEach(() => {
  globalThis.fetch = realFetch
  setClientHooks({ csrfToken: () => null, onUnauthenticated: async () => false, onCsrfRejected: async () => false })
})

/** Stubs fetch with answers in turn, recording each request. */
function stubFetch(...answers: Response[]): Seen[] {
  const seen: Seen[] = []
  globalThis.fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    seen.push({ url: new URL(url, 'http://atlas.invalid'), method: init.method ?? 'GET', headers: new Headers(init.headers), body: init.body, credentials: init.credentials })
    return answers.shift() ?? new Response('{}', { headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
  return seen
}
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
const failed = (call: Promise<unknown>) => call.then(() => assert.fail('the call succeeded'), (e: unknown) => e)

test('a typed call builds the path and query the server declares, and answers with the JSON body', async () => {
  const seen = stubFetch(json({ cycles: [{ code: 'monthly', label: '每月', resources: 3 }] }))
  const stats = await answer(api.stats['update-cycles'].$get({ query: filtersToQuery({ ...emptyFilters(), domain: ['lifeline'] }) }))
  assert.equal(stats.cycles[0]!.resources, 3)
  assert.equal(seen[0]!.url.pathname, '/api/stats/update-cycles')
  assert.equal(seen[0]!.url.searchParams.get('domain'), 'lifeline')
  assert.equal(seen[0]!.method, 'GET')
  assert.equal(seen[0]!.credentials, 'same-origin')
})

test('the error shape becomes one ApiError with status, code, message and details', async () => {
  stubFetch(json({ error: { code: 'invalid_parameter', message: 'invalid scope: must be subcategory or all', details: { parameter: 'scope' } } }, 400))
  const err = await failed(answer(api.analysis.conflicts.$get({ query: { scope: 'all' } })))
  assert.ok(err instanceof ApiError)
  assert.deepEqual([err.status, err.code, err.message, err.details], [400, 'invalid_parameter', 'invalid scope: must be subcategory or all', { parameter: 'scope' }])
})

test('an error that is not JSON (a proxy\'s page) still says what happened: its status line, or the status alone over HTTP/2', async () => {
  stubFetch(new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } }))
  const proxied = await failed(answer(api.analysis.sharing.$get({ query: {} })))
  assert.ok(proxied instanceof ApiError)
  assert.deepEqual([proxied.status, proxied.code, proxied.message, proxied.details], [502, 'http_error', '502 Bad Gateway', {}])

  stubFetch(new Response('upstream timed out', { status: 504 }))
  const bare = await failed(answer(api.meta.$get()))
  assert.ok(bare instanceof ApiError)
  assert.deepEqual([bare.status, bare.code, bare.message], [504, 'http_error', 'HTTP 504'])
})

test('the CSRF token goes with a POST, never with a GET; a stale token is fetched again and the call retried once', async () => {
  let token = 'first'
  setClientHooks({ csrfToken: () => token, onCsrfRejected: async () => ((token = 'second'), true) })
  const seen = stubFetch(
    json({ items: [] }),
    json({ error: { code: 'csrf', message: '缺少或错误的 CSRF 令牌' } }, 403),
    json({ id: 1, systemId: 7, prefix: 'csa_ab', label: '推送', createdAt: '', revokedAt: null, lastUsedAt: null, key: 'csa_secret' }, 201),
  )
  const keys = api.systems[':id']['api-keys']
  await answer(keys.$get({ param: { id: '7' } }))
  const issued = await answer(keys.$post({ param: { id: '7' }, json: { label: '推送' } }))
  assert.equal(issued.key, 'csa_secret')
  assert.equal(seen[0]!.headers.get('x-csrf-token'), null, 'no token on GET')
  assert.equal(seen[1]!.headers.get('x-csrf-token'), 'first')
  assert.equal(seen[2]!.headers.get('x-csrf-token'), 'second', 'retried with the fresh token')
  assert.equal(seen[2]!.url.pathname, '/api/systems/7/api-keys')
  assert.equal(seen[2]!.method, 'POST')
  assert.equal(seen[2]!.body, JSON.stringify({ label: '推送' }))
})

test('a 401 asks the session layer once: retried when it recovered, else the error reaches the caller', async () => {
  let asked = 0
  setClientHooks({ onUnauthenticated: async () => (asked++, false) })
  stubFetch(json({ error: { code: 'unauthenticated', message: '请先登录' } }, 401))
  await assert.rejects(send('/api/meta'), (e: unknown) => e instanceof ApiError && e.status === 401 && e.message === '请先登录')
  assert.equal(asked, 1)

  setClientHooks({ onUnauthenticated: async () => (asked++, true) })
  const seen = stubFetch(json({ error: { code: 'unauthenticated', message: '请先登录' } }, 401), json({ publicAccess: true }))
  assert.deepEqual(await answer(api.admin.settings.$get()), { publicAccess: true })
  assert.equal(asked, 2)
  assert.equal(seen.length, 2)
})

test('an upload goes through the typed client as multipart, with the CSRF header and no JSON content type', async () => {
  setClientHooks({ csrfToken: () => 'token' })
  const seen = stubFetch(json({ form: 'systems', fileName: 'a.xlsx', planHash: 'h', canImport: true }))
  const file = new File(['x'], 'a.xlsx')
  const preview = await answer(api.forms[':form'].preview.$post({ param: { form: 'systems' } }, formUpload(file, 3, 'merge')))
  assert.equal(preview.planHash, 'h')
  assert.equal(seen[0]!.url.pathname, '/api/forms/systems/preview')
  assert.equal(seen[0]!.method, 'POST')
  assert.equal(seen[0]!.headers.get('x-csrf-token'), 'token')
  assert.equal(seen[0]!.headers.get('content-type'), null, 'fetch sets the multipart boundary itself')
  const body = seen[0]!.body as FormData
  assert.ok(body instanceof FormData)
  assert.equal((body.get('file') as File).name, 'a.xlsx')
  assert.equal(body.get('department'), '3')
  assert.equal(body.get('mode'), 'merge', 'the import mode goes with the upload')
})

test('features follow the next links of the GeoJSON pages up to the cap, with the filters on the first request', async () => {
  const feature = (id: number) => ({ type: 'Feature', id, geometry: { type: 'Point', coordinates: [106.6, 29.7] }, properties: { id } })
  const page = (ids: number[], next?: string) => json({
    type: 'FeatureCollection', features: ids.map(feature), numberReturned: ids.length, links: next ? [{ rel: 'next', href: next }] : [],
  })
  const seen = stubFetch(page([1, 2], '/api/features?domain=lifeline&limit=2&after=2'), page([3, 4], '/api/features?domain=lifeline&limit=2&after=4'))
  const { collection, truncated } = await allFeatures({ ...emptyFilters(), domain: ['lifeline'] }, { pageSize: 2, cap: 3 })
  assert.deepEqual(collection.features.map((f) => f.id), [1, 2, 3])
  assert.equal(truncated, true)
  assert.deepEqual(seen.map((s) => `${s.url.pathname}${s.url.search}`), ['/api/features?domain=lifeline&limit=2', '/api/features?domain=lifeline&limit=2&after=2'])
})
