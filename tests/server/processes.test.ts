import { test, expect } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PbfReader } from 'pbf'
import { VectorTile } from '@mapbox/vector-tile'
import { tileAt } from '../../scripts/bench/viewports.js'
import { freshTotpCode, startServer, type RunningServer } from '../helpers/browser.js'
import { newDatabaseUrl, testEngine } from '../helpers/database.js'

// Two real server processes over one database (on PostgreSQL: stateless replicas; on SQLite: two
// processes over one file). Whatever one is asked, the other answers the same.

interface Session { cookie: string; csrf: string }

async function signIn(server: RunningServer, username: string, password: string, totpSecret?: string): Promise<{ status: number; session: Session | null }> {
  const headers = { 'content-type': 'application/json', origin: server.url }
  const res = await fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers, body: JSON.stringify({ username, password }) })
  if (res.status === 202 && totpSecret) {
    const pending = res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ')
    const code = await fetch(`${server.url}/api/auth/sign-in/code`, { method: 'POST', headers: { ...headers, cookie: pending }, body: JSON.stringify({ code: await freshTotpCode(totpSecret) }) })
    const body = (await code.json()) as { csrfToken: string }
    return { status: code.status, session: code.status === 200 ? { cookie: code.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('csa_session='))!, csrf: body.csrfToken } : null }
  }
  const body = (await res.json()) as { csrfToken?: string }
  return { status: res.status, session: res.status === 200 ? { cookie: res.headers.getSetCookie()[0]!.split(';')[0]!, csrf: body.csrfToken! } : null }
}

async function call(server: RunningServer, session: Session | null, method: string, path: string, body?: unknown, bearer?: string) {
  const headers: Record<string, string> = { origin: server.url }
  if (session) headers.cookie = session.cookie
  if (session && method !== 'GET') headers['x-csrf-token'] = session.csrf
  if (bearer) headers.authorization = `Bearer ${bearer}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const type = res.headers.get('content-type') ?? ''
  return { status: res.status, body: type.includes('json') ? await res.json() as any : await res.arrayBuffer() }
}

/** Polls `read` until `done` holds, for at most `ms`: a write through one process must reach the other within a second. */
async function within<T>(ms: number, read: () => Promise<T>, done: (v: T) => boolean): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  for (;;) {
    const value = await read()
    const took = performance.now() - started
    if (done(value) || took > ms) return { value, ms: took }
    await new Promise((r) => setTimeout(r, 25))
  }
}

test(`two server processes over one ${testEngine() === 'postgres' ? 'PostgreSQL' : 'SQLite'} database: one sign-in, shared lockouts, and every write seen through the other within a second`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-processes-'))
  const env = { DATABASE_URL: await newDatabaseUrl(dir), DEMO_SCALE: '0.1' }
  const a = await startServer({ env })
  let b: RunningServer | null = null
  try {
    b = await startServer({ env: { ...env, SESSION_SECRET: a.sessionSecret, ADMIN_PASSWORD: a.adminPassword }, enrolAdmin: false })

    // A session signed in through one process works on the other.
    const admin = (await signIn(a, 'admin', a.adminPassword, a.adminTotpSecret!)).session!
    expect(admin).not.toBeNull()
    expect((await call(b, admin, 'GET', '/api/auth/session')).body.user.username).toBe('admin')

    // Five failed sign-ins spread over both processes lock the account, for both.
    const user = await call(b, admin, 'POST', '/api/admin/users', { username: 'liwei', displayName: '李伟', role: 'analyst', password: 'Hx7-lantern-Quay-42' })
    expect(user.status, JSON.stringify(user.body)).toBe(201)
    expect((await signIn(a, 'liwei', 'Hx7-lantern-Quay-42')).status).toBe(200)
    for (const server of [a, b, a, b, a]) expect((await signIn(server, 'liwei', 'wrong-password')).status).toBe(401)
    expect((await signIn(b, 'liwei', 'Hx7-lantern-Quay-42')).status, 'locked through the other process too').toBe(401)
    expect((await signIn(a, 'liwei', 'Hx7-lantern-Quay-42')).status).toBe(401)

    // An on-screen edit through A: a new resource appears in B's lists and search.
    const systems = (await call(b, admin, 'GET', '/api/systems?limit=1')).body.items as { id: number }[]
    const system = systems[0]!.id
    const created = await call(a, admin, 'POST', `/api/systems/${system}/resources`, {
      name: '跨进程可见的资源', subcategoryCode: 'gas', provisionMode: 'api', updateCycle: 'realtime', subjectClass: 'thing', purpose: 'monitoring',
      sharingAttribute: 'conditional', sensitivity: 'internal', reviewer: '', filler: '', phone: '', filledAt: null, items: [{ name: '监测值', dataType: 'N', length: 10 }],
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const resource = created.body.id as number
    const listed = await within(1000, async () => (await call(b!, admin, 'GET', '/api/resources?q=跨进程可见')).body.items.map((r: any) => r.name), (n) => n.length === 1)
    expect(listed.value).toEqual(['跨进程可见的资源'])

    // Ingest through A with the system's key: a red hazard source shows in B's statistics and B's tile.
    const before = (await call(b, admin, 'GET', '/api/stats/overview')).body.features as number
    const key = (await call(a, admin, 'POST', `/api/systems/${system}/api-keys`, { label: '对接' })).body.key as string
    const place: [number, number] = [106.6312, 29.7211]
    const ingested = await call(a, null, 'POST', '/api/ingest/updates', {
      resourceId: resource, updatedAt: new Date().toISOString(), recordCount: 1,
      features: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: place }, properties: { name: '跨进程危险源', kind: 'hazard-source', riskLevel: 'red' } }] },
    }, key)
    expect(ingested.status, JSON.stringify(ingested.body)).toBe(201)
    const counted = await within(1000, async () => (await call(b!, admin, 'GET', '/api/stats/overview')).body.features as number, (n) => n === before + 1)
    expect(counted.value).toBe(before + 1)
    const { z, x, y } = tileAt(place, 15)
    const names = async () => {
      const tile = await call(b!, admin, 'GET', `/api/tiles/${z}/${x}/${y}.mvt`)
      if (tile.status !== 200) return []
      const layers = new VectorTile(new PbfReader(new Uint8Array(tile.body as ArrayBuffer))).layers
      return Object.values(layers).flatMap((l) => Array.from({ length: l.length }, (_, i) => String(l.feature(i).properties.name ?? '')))
    }
    const tiled = await within(1000, names, (n) => n.includes('跨进程危险源'))
    expect(tiled.value).toContain('跨进程危险源')
  } finally {
    await b?.stop()
    await a.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})
