import { test } from 'vitest'
import assert from 'node:assert/strict'
import { Validator } from '@seriousme/openapi-schema-validator'
import { AUDIT_ACTIONS, FEATURE_KINDS, RISK_LEVELS, UPDATE_CYCLES, codesOf } from '../../server/domain/enums.js'
import { apiRoutes, documentationGaps, type OpenApiDocument, type OpenApiOperation, type OpenApiParameter, type RouteLike } from '../../server/openapi/generate.js'
import { renderReferencePage } from '../../server/openapi/reference-page.js'
import { CRS_CHOICES } from '../../server/geodata/crs.js'
import { Fixture, YUBEI_A, testApp } from '../helpers/app.js'

/**
 * The OpenAPI document (GET /api/openapi.json) against the app it describes: valid OpenAPI 3.0, one
 * operation per route and no more, parameters equal to what the routes' zod schemas accept, and limits
 * that the real routes enforce. And the reference page (GET /api/docs) built from it.
 */

type Doc = OpenApiDocument
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

async function documentOf(t: Awaited<ReturnType<typeof testApp>>): Promise<Doc> {
  const res = await t.raw.request('/api/openapi.json')
  assert.equal(res.status, 200)
  return (await res.json()) as Doc
}

function operations(doc: Doc): { method: string; path: string; op: OpenApiOperation }[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => METHODS.filter((m) => ops[m]).map((m) => ({ method: m, path, op: ops[m]! })))
}

const routesOf = (t: Awaited<ReturnType<typeof testApp>>) => (t.raw as unknown as { routes: RouteLike[] }).routes

/** Every `$ref` in a JSON value. */
function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v)
      else refsIn(v, out)
    }
  }
  return out
}

function resolvePointer(doc: unknown, ref: string): unknown {
  assert.ok(ref.startsWith('#/'), `only local references: ${ref}`)
  return ref.slice(2).split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
}

test('the document is valid OpenAPI 3.0.3: schema, path parameters, unique operationIds, resolvable $refs', async () => {
  const t = await testApp()
  const res = await t.raw.request('/api/openapi.json')
  assert.equal(res.headers.get('content-type'), 'application/vnd.oai.openapi+json;version=3.0')
  const doc = (await res.json()) as Doc
  assert.equal(doc.openapi, '3.0.3')
  assert.ok(doc.info.title && doc.info.version)

  const result = await new Validator().validate(structuredClone(doc) as unknown as Record<string, unknown>)
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1))

  const ids = operations(doc).map((o) => o.op.operationId)
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique')

  for (const { method, path, op } of operations(doc)) {
    const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort()
    const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort()
    assert.deepEqual(declared, inPath, `${method} ${path}: path parameters`)
    for (const p of op.parameters ?? []) if (p.in === 'path') assert.equal(p.required, true)
    assert.ok(op.summary && !op.summary.includes('缺少说明'), `${method} ${path} has a summary`)
    assert.ok(op.tags.length === 1 && doc.tags.some((t) => t.name === op.tags[0]), `${method} ${path} has a declared tag`)
    assert.ok(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)), `${method} ${path} has a success response`)
  }

  const refs = refsIn(doc)
  assert.ok(refs.includes('#/components/schemas/Error'))
  for (const ref of new Set(refs)) assert.ok(resolvePointer(doc, ref) !== undefined, `${ref} resolves`)
})

test('plain JSON clients get application/json; the OpenAPI media type otherwise', async () => {
  const t = await testApp()
  const plain = await t.raw.request('/api/openapi.json', { headers: { accept: 'application/json' } })
  assert.equal(plain.status, 200)
  assert.match(plain.headers.get('content-type') ?? '', /^application\/json\b/)
  assert.equal(((await plain.json()) as Doc).openapi, '3.0.3')
  const oai = await t.raw.request('/api/openapi.json', { headers: { accept: 'application/vnd.oai.openapi+json;version=3.0, application/json;q=0.5' } })
  assert.equal(oai.headers.get('content-type'), 'application/vnd.oai.openapi+json;version=3.0')
})

test('every route of the app is documented, and every documented operation is a route', async () => {
  const t = await testApp()
  const doc = await documentOf(t)
  assert.deepEqual(documentationGaps(routesOf(t)), { undocumented: [], stale: [] }, 'the summaries table in server/openapi/operations.ts matches the routes')
  // Counted here from the raw route table, independently of the generator's own walk.
  const registered = new Set(routesOf(t)
    .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && !r.path.includes('*'))
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`))
  const documented = new Set(operations(doc).map((o) => `${o.method.toUpperCase()} ${o.path}`))
  assert.deepEqual([...documented].sort(), [...registered].sort())
  assert.ok(documented.has('GET /api/departments/{id}'))
  assert.ok(documented.has('GET /api/openapi.json') && documented.has('GET /api/docs'))
})

test('an entry for a route that does not exist, or a route without an entry, is reported', async () => {
  const t = await testApp()
  const routes = routesOf(t)
  const { 'GET /api/meta': _meta, ...withoutMeta } = (await import('../../server/openapi/operations.js')).OPERATIONS
  const gaps = documentationGaps(routes, { ...withoutMeta, 'GET /api/no-such-thing': { tag: 'meta', summary: 'x', description: 'x' } })
  assert.deepEqual(gaps, { undocumented: ['GET /api/meta'], stale: ['GET /api/no-such-thing'] })
})

test('documented query parameters are exactly the keys each route\'s zod schema accepts', async () => {
  const t = await testApp()
  const doc = await documentOf(t)
  let checked = 0
  for (const route of apiRoutes(routesOf(t))) {
    const query = route.validations.filter((v) => v.target === 'query')
    if (!query.length) continue
    const keys = query.flatMap((v) => Object.keys((v.schema as unknown as { shape: Record<string, unknown> }).shape)).sort()
    const op = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]![route.method.toLowerCase()]!
    const documented = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort()
    assert.deepEqual(documented, keys, route.key)
    checked++
  }
  assert.ok(checked >= 25, `${checked} routes with query parameters`)
})

test('enumerations are listed with the codes of server/domain/enums.ts', async () => {
  const t = await testApp()
  const doc = await documentOf(t)
  const param = (path: string, name: string, method = 'get') => doc.paths[path]![method]!.parameters!.find((p) => p.name === name)!
  const codes = (p: OpenApiParameter) => ((p.schema.type === 'array' ? (p.schema.items as { enum: string[] }) : p.schema) as { enum: string[] }).enum

  assert.deepEqual(codes(param('/api/features', 'risk')), codesOf(RISK_LEVELS))
  assert.equal(param('/api/features', 'risk').style, 'form')
  assert.equal(param('/api/features', 'risk').explode, false, 'comma-separated, as the route reads it')
  assert.deepEqual(codes(param('/api/features', 'kind')), codesOf(FEATURE_KINDS))
  assert.deepEqual(codes(param('/api/resources', 'updateCycle')), codesOf(UPDATE_CYCLES))
  assert.deepEqual(codes(param('/api/admin/audit', 'action')), codesOf(AUDIT_ACTIONS))
  assert.deepEqual(codes(param('/api/regions', 'type')), ['district', 'grid'])
  assert.deepEqual(codes(param('/api/forms/{form}/export.xlsx', 'form')), ['systems', 'resources'])
  assert.deepEqual(codes(param('/api/tiles/{z}/{x}/{file}', 'risk')), codesOf(RISK_LEVELS), 'a route that validates in its handler')
  assert.match(param('/api/features', 'risk').description ?? '', /red 重大风险/)
  // Free-form lists are arrays without an enumeration; ids are integers.
  assert.deepEqual(param('/api/resources', 'domain').schema, { type: 'array', items: { type: 'string' } })
  assert.equal((param('/api/resources', 'department').schema.items as { type: string }).type, 'integer')
})

/** A value for a path parameter that its documented schema accepts. */
function pathValue(p: OpenApiParameter): string {
  const s = p.schema as { enum?: string[]; type?: string; pattern?: string }
  if (s.enum) return s.enum[0]!
  if (s.type === 'integer') return '0'
  for (const candidate of ['1', '0.mvt', 'risk-point', 'local']) if (!s.pattern || new RegExp(s.pattern).test(candidate)) return candidate
  throw new Error(`no sample for ${p.name}`)
}

test('values outside the documented limits get a 400 from the real route naming that parameter', async () => {
  const t = await testApp()
  const doc = await documentOf(t)
  const failures: string[] = []
  let cases = 0
  for (const { method, path, op } of operations(doc)) {
    if (method !== 'get') continue
    const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => pathValue(op.parameters!.find((p) => p.name === name)!))
    for (const p of (op.parameters ?? []).filter((q) => q.in === 'query')) {
      const s = p.schema as { type?: string; maximum?: number; minimum?: number; pattern?: string; enum?: string[]; items?: { enum?: string[] } }
      const bad: string[] = []
      if (typeof s.maximum === 'number' && s.maximum < Number.MAX_SAFE_INTEGER) bad.push(String(s.maximum + 1))
      if (typeof s.minimum === 'number') bad.push(String(s.minimum - 1))
      if (s.enum || s.items?.enum) bad.push('zz-not-a-code')
      if (s.pattern && !new RegExp(s.pattern).test('!x')) bad.push('!x')
      for (const value of bad) {
        cases++
        const res = await t.app.request(`${url}?${p.name}=${encodeURIComponent(value)}`)
        const body = (await res.json().catch(() => null)) as { error?: { details?: { parameter?: string; issues?: { parameter: string }[] } } } | null
        const named = body?.error?.details?.parameter === p.name || body?.error?.details?.issues?.some((i) => i.parameter === p.name)
        if (res.status !== 400 || !named) failures.push(`${path} ${p.name}=${value}: ${res.status} ${JSON.stringify(body)}`)
      }
    }
  }
  assert.deepEqual(failures, [])
  assert.ok(cases >= 100, `${cases} cases`)
})

test('the documented limits themselves are accepted, and documented defaults are what the routes use', async () => {
  const t = await testApp()
  const doc = await documentOf(t)
  const query = (path: string, name: string) => doc.paths[path]!.get!.parameters!.find((p) => p.name === name)!.schema as { default?: number; maximum?: number }

  const resources = query('/api/resources', 'pageSize')
  assert.equal((await t.app.request(`/api/resources?pageSize=${resources.maximum}`)).status, 200)
  const page = (await (await t.app.request('/api/resources')).json()) as { page: number; pageSize: number }
  assert.equal(page.pageSize, resources.default)
  assert.equal(page.page, query('/api/resources', 'page').default)

  const audit = (await (await t.app.request('/api/admin/audit')).json()) as { pageSize: number }
  assert.equal(audit.pageSize, query('/api/admin/audit', 'pageSize').default)

  // OGC items: more features than the documented default limit; the route returns exactly that many.
  const fx = new Fixture(t.db, t.locator)
  const dept = await fx.department('渝北区应急局')
  const resource = await fx.resource(await fx.system(dept, '系统'), '风险点', { sensitivity: 'public' })
  const limit = query('/api/ogc/collections/{collectionId}/items', 'limit')
  await fx.features(Array.from({ length: limit.default! + 5 }, (_, i) => ({
    resourceId: resource, kind: 'risk-point' as const, name: `点${i}`, geometry: { type: 'Point' as const, coordinates: [YUBEI_A[0] + i * 1e-4, YUBEI_A[1]] }, updatedAt: '2026-06-01T00:00:00.000Z',
  })))
  const items = (await (await t.app.request('/api/ogc/collections/risk-point/items')).json()) as { numberReturned: number; numberMatched: number }
  assert.equal(items.numberMatched, limit.default! + 5)
  assert.equal(items.numberReturned, limit.default)
})

test('the OGC landing page links the document as service-desc and the reference page as service-doc', async () => {
  const t = await testApp()
  const landing = (await (await t.app.request('/api/ogc')).json()) as { links: { rel: string; href: string; type: string }[] }
  const desc = landing.links.find((l) => l.rel === 'service-desc')!
  const docLink = landing.links.find((l) => l.rel === 'service-doc')!
  assert.equal(desc.type, 'application/vnd.oai.openapi+json;version=3.0')
  assert.equal((await t.raw.request(new URL(desc.href).pathname)).status, 200)
  assert.equal((await t.raw.request(new URL(docLink.href).pathname)).status, 200)
})

test('operations say who may call them', async () => {
  const t = await testApp()
  const doc = await documentOf(t)
  const op = (path: string, method: string) => doc.paths[path]![method]!
  for (const [path, method] of [['/api/meta', 'get'], ['/api/regions', 'get'], ['/api/auth/session', 'get'], ['/api/auth/sign-in', 'post'], ['/api/kiosk/open', 'post'], ['/api/openapi.json', 'get'], ['/api/docs', 'get']] as const) {
    assert.deepEqual(op(path, method).security, [], `${method} ${path} is open`)
  }
  assert.deepEqual(op('/api/ingest/updates', 'post').security, [{ ingestKey: [] }])
  // The map's data is also open to visitors when public access is on (the empty requirement); analyses need an account.
  assert.deepEqual(op('/api/features', 'get').security, [{ sessionCookie: [] }, { personalToken: [] }, { personalTokenBasic: [] }, {}])
  assert.deepEqual(op('/api/analysis/coverage', 'get').security, [{ sessionCookie: [] }, { personalToken: [] }, { personalTokenBasic: [] }])
  assert.equal(op('/api/features', 'get')['x-access'], 'public-read')
  assert.equal(op('/api/analysis/coverage', 'get')['x-access'], 'read')
  assert.equal(op('/api/admin/users', 'post')['x-access'], 'admin')
  assert.equal(op('/api/auth/tokens', 'get')['x-access'], 'account')
  assert.deepEqual(op('/api/resources/{id}', 'put').security, [{ sessionCookie: [], csrfToken: [] }])
  assert.deepEqual(op('/api/admin/users', 'get').security, [{ sessionCookie: [] }], 'tokens cannot administer')
  const schemes = doc.components.securitySchemes as Record<string, { type: string; in?: string; name?: string; scheme?: string; description: string }>
  assert.equal(schemes.sessionCookie!.name, 'csa_session')
  assert.match(schemes.sessionCookie!.description, /X-CSRF-Token/)
  assert.equal(schemes.personalTokenBasic!.scheme, 'basic')
  // The media types the routes really answer with.
  assert.ok(op('/api/features', 'get').responses['200']!.content!['application/geo+json' as never])
  assert.ok(op('/api/tiles/{z}/{x}/{file}', 'get').responses['200']!.content!['application/vnd.mapbox-vector-tile' as never])
  assert.ok(op('/api/forms/{form}/export.xlsx', 'get').responses['200']!.content!['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' as never])
  assert.ok(op('/api/catalog.jsonld', 'get').responses['200']!.content!['application/ld+json' as never])
  assert.deepEqual(Object.keys(op('/api/forms/{form}/import', 'post').requestBody!.content), ['multipart/form-data'])
  const geodata = op('/api/resources/{id}/geodata/preview', 'post').requestBody!.content['multipart/form-data']!.schema as { properties: Record<string, { enum?: string[]; format?: string }> }
  assert.deepEqual(geodata.properties.crs!.enum, [...CRS_CHOICES], 'from the schema the handler checks the form fields with')
  assert.equal(geodata.properties.file!.format, 'binary')
  const body = op('/api/survey-rounds', 'post').requestBody!.content['application/json']!.schema as { required: string[]; properties: Record<string, unknown> }
  assert.deepEqual([...body.required].sort(), ['departmentIds', 'resourcesDeadline', 'systemsDeadline', 'title'])
})

test('the reference page lists every operation, loads nothing from elsewhere, and runs no script', async () => {
  const t = await testApp()
  const doc = await documentOf(t)
  const res = await t.raw.request('/api/docs')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/)
  assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/)
  const html = await res.text()
  for (const { method, path, op } of operations(doc)) {
    assert.ok(html.includes(`<code class="path">${path}</code>`), `${method} ${path} on the page`)
    assert.ok(html.includes(`id="${op.operationId}"`))
  }
  assert.doesNotMatch(html, /<script/i)
  const external = [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]!).filter((u) => /^(https?:)?\/\//i.test(u))
  assert.deepEqual(external, [])
  assert.match(html, /<html lang="zh-CN">/)
  assert.match(html, /风险等级/)
})

test('the reference page escapes every text it shows', async () => {
  const t = await testApp()
  const doc = await documentOf(t)
  const hostile = '<img src=x onerror=alert(1)>"\'&'
  const op = doc.paths['/api/features']!.get!
  op.summary = hostile
  op.description = hostile
  op.parameters![0]!.description = hostile
  doc.info.description = hostile
  doc.tags[0]!.description = hostile
  const html = renderReferencePage(doc)
  assert.doesNotMatch(html, /<img/)
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;'))
})

test('both URLs answer without a session, also when public access is off', async () => {
  const t = await testApp()
  await t.db.kysely.insertInto('settings').values({ key: 'public_access', value: 'off' })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: 'off' })).execute()
  await t.db.versions.refresh()
  for (const path of ['/api/openapi.json', '/api/docs']) {
    const res = await t.raw.request(path)
    assert.equal(res.status, 200, path)
  }
  assert.equal((await t.raw.request('/api/resources')).status, 401, 'the data itself still needs a session')
})
