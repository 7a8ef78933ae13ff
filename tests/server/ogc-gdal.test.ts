import { test, beforeAll, afterAll } from 'vitest'
import assert from 'node:assert/strict'
import { execFile, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { adminHeaders, startServer, type RunningServer } from '../helpers/browser.js'

/**
 * The real client: GDAL's OAPIF driver (ogrinfo, ogr2ogr) against the real server with the demo city,
 * authenticated as a desktop GIS user is told to in the README: HTTP Basic with a personal access token
 * as the password. Skipped when GDAL is not installed.
 */

const hasGdal = spawnSync('sh', ['-c', 'command -v ogrinfo && command -v ogr2ogr']).status === 0
// Without GDAL on PATH these tests are reported as skipped (install gdal-bin to run them; CI does).
const skip = !hasGdal

let server: RunningServer
let token = ''
let dir = ''

const run = promisify(execFile)

/** Runs a GDAL tool without blocking the event loop (the server's keep-alive sockets stay healthy). */
async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[]): Promise<string> {
  const r = await run(tool, ['--config', 'GDAL_HTTP_AUTH', 'BASIC', '--config', 'GDAL_HTTP_USERPWD', `admin:${token}`, ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 })
    .catch((err: { stderr?: string; message: string }) => assert.fail(`${tool} ${args.join(' ')} failed:\n${err.stderr ?? err.message}`))
  assert.ok(!/ERROR/.test(r.stderr), `${tool} reported an error:\n${r.stderr}`)
  return r.stdout
}

async function numberMatched(collection: string): Promise<number> {
  const res = await fetch(`${server.url}/api/ogc/collections/${collection}/items?limit=1`, { headers: { authorization: `Bearer ${token}` } })
  assert.equal(res.status, 200)
  return ((await res.json()) as { numberMatched: number }).numberMatched
}

beforeAll(async () => {
  if (skip) return
  server = await startServer()
  // The administrator's session (signing in itself, with its second step, is tested elsewhere).
  const made = await fetch(`${server.url}/api/auth/tokens`, { method: 'POST', headers: { ...adminHeaders(server), 'content-type': 'application/json' },
    body: JSON.stringify({ label: 'GDAL', days: 30 }) })
  assert.equal(made.status, 201)
  token = ((await made.json()) as { token: string }).token
  dir = mkdtempSync(join(tmpdir(), 'ogc-gdal-'))
})

afterAll(async () => {
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

test('without credentials GDAL is refused (401) and told to authenticate; with a wrong token too', { skip }, async () => {
  const anonymous = await run('ogrinfo', ['-ro', '-so', `OAPIF:${server.url}/api/ogc`], { encoding: 'utf8', timeout: 60_000 }).then(() => null, (err: { stderr?: string }) => err.stderr ?? '')
  assert.ok(anonymous !== null, 'ogrinfo fails without credentials')
  assert.match(anonymous, /401/)
  const wrong = await run('ogrinfo', ['--config', 'GDAL_HTTP_AUTH', 'BASIC', '--config', 'GDAL_HTTP_USERPWD', `admin:${token.slice(0, -2)}xx`, '-ro', '-so', `OAPIF:${server.url}/api/ogc`],
    { encoding: 'utf8', timeout: 60_000 }).then(() => null, (err: { stderr?: string }) => err.stderr ?? '')
  assert.ok(wrong !== null, 'ogrinfo fails with a wrong token')
})

test('ogrinfo lists every collection of the OGC API by id and title', { skip }, async () => {
  const out = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${server.url}/api/ogc`])
  for (const [id, title] of [['risk-point', '风险点'], ['hazard-source', '危险源'], ['monitoring-point', '监测点'], ['facility', '设施'], ['pipeline', '管网'],
    ['protection-target', '重点防护目标'], ['emergency-resource', '应急资源'], ['domain-lifeline', '城市生命线工程安全'], ['domain-public', '公共安全'],
    ['domain-production', '生产安全'], ['domain-natural', '自然灾害']]) {
    assert.match(out, new RegExp(`\\d+: ${id} \\(title: ${title}\\)`), `${id} listed`)
  }
})

test('ogrinfo reports each layer\'s feature count as numberMatched, with the attribute columns and the extent', { skip }, async () => {
  for (const collection of ['pipeline', 'domain-natural']) {
    const out = await gdal('ogrinfo', ['-ro', '-al', '-so', `OAPIF:${server.url}/api/ogc`, collection])
    const count = Number(/Feature Count: (\d+)/.exec(out)?.[1])
    assert.ok(count > 0, `${collection} has features`)
    assert.equal(count, await numberMatched(collection), collection)
    for (const column of ['name: String', 'riskLevel: String', 'department: Integer', 'resourceName: String', 'updatedAt: DateTime']) assert.ok(out.includes(column), `${collection}: ${column}`)
    assert.match(out, /Extent: \(106\.\d+, 29\.\d+\) - \(10[67]\.\d+, (29|30)\.\d+\)/)
  }
})

test('ogr2ogr pages through a whole collection and writes every feature exactly once', { skip }, async () => {
  for (const collection of ['pipeline', 'risk-point']) {
    const file = join(dir, `${collection}.geojson`)
    await gdal('ogr2ogr', ['-f', 'GeoJSON', '-preserve_fid', file, `OAPIF:${server.url}/api/ogc`, collection])
    const fc = JSON.parse(readFileSync(file, 'utf8')) as { features: { id: number; properties: { name: string } }[] }
    const expected = await numberMatched(collection)
    assert.equal(fc.features.length, expected, `${collection}: every feature written`)
    assert.equal(new Set(fc.features.map((f) => f.id)).size, expected, `${collection}: no feature twice`)
  }
})
