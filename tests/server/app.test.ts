import { test } from 'vitest'
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { createApp } from '../../server/app.js'
import { freshDatabase, newDatabaseUrl } from '../helpers/database.js'
import { TEST_NOW, TEST_SECRET, createSession, requester } from '../helpers/app.js'
import { totpCode } from '../../server/auth/two-factor.js'

test('the server serves the web app with a fallback for client-side routes, and API errors stay JSON', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-web-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>城市安全数据资源一张图</title><div id="app"></div>')
  writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log(1)')
  const db = await freshDatabase()
  const app = requester(createApp({ db, now: () => TEST_NOW, webRoot: dir, sessionSecret: TEST_SECRET }), await createSession(db, { role: 'admin' }))
  for (const path of ['/', '/departments/3', '/screen?domain=lifeline']) {
    const res = await app.request(path)
    assert.equal(res.status, 200, path)
    assert.match(await res.text(), /城市安全数据资源一张图/, path)
  }
  const asset = await app.request('/assets/app-1234.js')
  assert.equal(await asset.text(), 'console.log(1)')
  assert.match(asset.headers.get('cache-control') ?? '', /immutable/)
  const api = await app.request('/api/does-not-exist')
  assert.equal(api.status, 404)
  assert.equal(((await api.json()) as any).error.code, 'not_found')
  assert.equal(asset.headers.get('x-content-type-options'), 'nosniff')
  // The page may run scripts from this origin only (no inline script), and may not be framed.
  const page = await app.request('/')
  const csp = page.headers.get('content-security-policy') ?? ''
  assert.match(csp, /script-src 'self'(;|$)/)
  assert.match(csp, /frame-ancestors 'none'/)
  assert.equal(page.headers.get('x-frame-options'), 'DENY')
  rmSync(dir, { recursive: true })
})

test('large API responses are compressed for clients that accept it', async () => {
  const db = await freshDatabase()
  const app = createApp({ db, now: () => TEST_NOW })
  const res = await app.request('/api/regions?type=grid', { headers: { 'Accept-Encoding': 'gzip' } })
  assert.equal(res.headers.get('content-encoding'), 'gzip')
})

test('a fresh start migrates an empty database, fills it with the demo city and serves it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-start-'))
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    // Port 0: the system gives a free one, which the server prints.
    env: { ...process.env, PORT: '0', DATABASE_URL: await newDatabaseUrl(dir), DEMO_SCALE: '0.05' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  try {
    const deadline = Date.now() + 60_000
    while (!output.includes('listening on')) {
      if (Date.now() > deadline || child.exitCode !== null) assert.fail(`server did not start:\n${output}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    assert.match(output, /demo city ready/)
    const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!
    const meta = (await (await fetch(`${base}/api/meta`)).json()) as any
    assert.equal(meta.demo, true)
    assert.equal(meta.departments.length, 13)
    // No default password: the first start prints a random one for the administrator, once.
    const password = /password:\s+(\S+)/.exec(output)?.[1]
    assert.ok(password && password.length >= 16, output)
    assert.equal((await fetch(`${base}/api/stats/overview`)).status, 401)
    const signIn = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })
    assert.equal(signIn.status, 200)
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
    assert.match(signIn.headers.get('set-cookie')!, /HttpOnly/i)
    assert.match(signIn.headers.get('set-cookie')!, /SameSite=Strict/i)
    // The administrator enrols a second factor before anything else.
    const session = (await signIn.json()) as { required: string; csrfToken: string }
    assert.equal(session.required, 'enrol-two-factor')
    assert.equal((await fetch(`${base}/api/stats/overview`, { headers: { cookie } })).status, 403)
    const post = (path: string, body?: unknown) => fetch(`${base}${path}`, {
      method: 'POST', headers: { cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}),
    })
    const { secret } = (await (await post('/api/auth/two-factor/setup')).json()) as { secret: string }
    assert.equal((await post('/api/auth/two-factor/enable', { code: totpCode(secret, new Date()) })).status, 200)
    const overview = (await (await fetch(`${base}/api/stats/overview`, { headers: { cookie } })).json()) as any
    assert.ok(overview.features > 500)
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    rmSync(dir, { recursive: true })
  }
})

test('a bad configuration stops the server with a message naming the variable', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: 'eighty' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stderr.on('data', (d) => (output += d))
  const code = await new Promise((r) => child.once('exit', r))
  assert.equal(code, 1)
  assert.match(output, /PORT/)
})
