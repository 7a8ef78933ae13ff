import assert from 'node:assert/strict'
import { afterEach, test } from 'vitest'
import { api, ApiError, send, setClientHooks } from '../../web/api/client.js'
import { analysisApi } from '../../web/api/analysis.js'
import { emptyFilters } from '../../web/api/filter-params.js'
import { supervisionApi } from '../../web/api/supervision.js'

interface Seen { url: string; method: string; headers: Headers; credentials?: RequestInit['credentials'] }
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
    seen.push({ url, method: init.method ?? 'GET', headers: new Headers(init.headers), credentials: init.credentials })
    return answers.shift() ?? new Response('{}', { headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
  return seen
}
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

test('a typed call builds the path and query the server declares, and answers with the JSON body', async () => {
  const seen = stubFetch(json({ cycles: [{ code: 'monthly', label: '每月', resources: 3 }] }))
  const stats = await api.updateCycles({ ...emptyFilters(), domain: ['lifeline'] })
  assert.equal(stats.cycles[0]!.resources, 3)
  const url = new URL(seen[0]!.url)
  assert.equal(url.pathname, '/api/stats/update-cycles')
  assert.equal(url.searchParams.get('domain'), 'lifeline')
  assert.equal(seen[0]!.method, 'GET')
  assert.equal(seen[0]!.credentials, 'same-origin')
})

test('the error shape becomes one ApiError with status, code, message and details; a non-JSON error keeps the status line', async () => {
  stubFetch(json({ error: { code: 'invalid_parameter', message: 'invalid scope: must be subcategory or all', details: { parameter: 'scope' } } }, 400))
  const err = await analysisApi.conflicts('all').catch((e: unknown) => e)
  assert.ok(err instanceof ApiError)
  assert.deepEqual([err.status, err.code, err.message, err.details], [400, 'invalid_parameter', 'invalid scope: must be subcategory or all', { parameter: 'scope' }])

  stubFetch(new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }))
  const proxied = await analysisApi.sharing().catch((e: unknown) => e)
  assert.ok(proxied instanceof ApiError)
  assert.deepEqual([proxied.status, proxied.code, proxied.message], [502, 'http_error', '502 Bad Gateway'])
})

test('the CSRF token goes with a POST, never with a GET; a stale token is fetched again and the call retried once', async () => {
  let token = 'first'
  setClientHooks({ csrfToken: () => token, onCsrfRejected: async () => ((token = 'second'), true) })
  const seen = stubFetch(
    json({ items: [] }),
    json({ error: { code: 'csrf', message: '缺少或错误的 CSRF 令牌' } }, 403),
    json({ id: 1, systemId: 7, prefix: 'csa_ab', label: '推送', createdAt: '', revokedAt: null, lastUsedAt: null, key: 'csa_secret' }, 201),
  )
  await supervisionApi.apiKeys(7)
  const issued = await supervisionApi.issueKey(7, '推送')
  assert.equal(issued.key, 'csa_secret')
  assert.equal(seen[0]!.headers.get('x-csrf-token'), null, 'no token on GET')
  assert.equal(seen[1]!.headers.get('x-csrf-token'), 'first')
  assert.equal(seen[2]!.headers.get('x-csrf-token'), 'second', 'retried with the fresh token')
  assert.equal(new URL(seen[2]!.url).pathname, '/api/systems/7/api-keys')
  assert.equal(seen[2]!.method, 'POST')
})

test('a 401 asks the session layer once; when it cannot recover, the error reaches the caller', async () => {
  let asked = 0
  setClientHooks({ onUnauthenticated: async () => (asked++, false) })
  stubFetch(json({ error: { code: 'unauthenticated', message: '请先登录' } }, 401))
  await assert.rejects(send('/api/meta'), (e: unknown) => e instanceof ApiError && e.status === 401 && e.message === '请先登录')
  assert.equal(asked, 1)
})
