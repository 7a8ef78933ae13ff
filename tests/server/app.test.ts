import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { createApp } from '../../server/app.js'
import { openSqlite } from '../../server/db/connect.js'
import { prepareDatabase } from '../../server/db/prepare.js'
import { TEST_NOW } from '../helpers/app.js'

test('the server serves the web app with a fallback for client-side routes, and API errors stay JSON', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-web-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>城市安全数据资源一张图</title><div id="app"></div>')
  writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log(1)')
  const db = openSqlite(':memory:')
  await prepareDatabase(db)
  const app = createApp({ db, now: () => TEST_NOW, webRoot: dir })
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
  rmSync(dir, { recursive: true })
})

test('large API responses are compressed for clients that accept it', async () => {
  const db = openSqlite(':memory:')
  await prepareDatabase(db)
  const app = createApp({ db, now: () => TEST_NOW })
  const res = await app.request('/api/regions?type=grid', { headers: { 'Accept-Encoding': 'gzip' } })
  assert.equal(res.headers.get('content-encoding'), 'gzip')
})

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

test('a fresh start migrates an empty database, fills it with the demo city and serves it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-start-'))
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), DATABASE_URL: join(dir, 'fresh.sqlite'), DEMO_SCALE: '0.05' },
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
    const meta = (await (await fetch(`http://127.0.0.1:${port}/api/meta`)).json()) as any
    assert.equal(meta.demo, true)
    assert.equal(meta.departments.length, 13)
    const overview = (await (await fetch(`http://127.0.0.1:${port}/api/stats/overview`)).json()) as any
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
