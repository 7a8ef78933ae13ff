import { test, onTestFinished } from 'vitest'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PMTiles, type Source, type RangeResponse } from 'pmtiles'
import { createSession, testApp } from '../helpers/app.js'
import { testPmtiles } from '../helpers/pmtiles.js'

async function withBasemapDir() {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-basemap-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return testApp({ basemapDir: dir })
}

const putFile = (as: { request: (p: string, i?: RequestInit) => Response | Promise<Response> }, bytes: Buffer, name = '渝北区.pmtiles') =>
  Promise.resolve(as.request('/api/basemap/file', { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) }, body: new Uint8Array(bytes) }))
const putSetting = (as: { request: (p: string, i?: RequestInit) => Response | Promise<Response> }, body: unknown) =>
  Promise.resolve(as.request('/api/basemap', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))

test('the basemap is the embedded one until an administrator chooses otherwise, for every browser alike', async () => {
  const t = await withBasemapDir()
  assert.deepEqual((await t.get('/api/basemap')).body, { type: 'embedded', url: '', file: null })
  const analyst = t.as(await createSession(t.db, { role: 'analyst', username: 'analyst' }))
  assert.equal((await putSetting(analyst, { type: 'raster', url: 'https://tiles.example.gov.cn/{z}/{x}/{y}.png' })).status, 403)
  assert.equal((await putSetting(t.app, { type: 'raster', url: 'https://tiles.example.gov.cn/tiles.png' })).status, 400)
  assert.equal((await putSetting(t.app, { type: 'style', url: 'javascript:alert(1)' })).status, 400)
  assert.equal((await putSetting(t.app, { type: 'pmtiles' })).status, 400, 'no file yet')
  assert.equal((await putSetting(t.app, { type: 'raster', url: 'https://tiles.example.gov.cn/{z}/{x}/{y}.png' })).status, 200)
  const seen = await (await analyst.request('/api/basemap')).json() as any
  assert.deepEqual([seen.type, seen.url], ['raster', 'https://tiles.example.gov.cn/{z}/{x}/{y}.png'])
  const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'result']).where('username', '=', 'test-admin').execute()
  assert.ok(audit.some((a) => a.action === 'settings' && a.result === 'success'))
})

test('an administrator uploads a PMTiles basemap: checked, kept on the server and served by byte ranges that the pmtiles reader understands', async () => {
  const t = await withBasemapDir()
  const archive = testPmtiles({ bounds: [106.4, 29.5, 106.9, 30.0] })
  const res = await putFile(t.app, archive)
  assert.equal(res.status, 201)
  const body = await res.json() as any
  assert.deepEqual([body.file.name, body.file.size, body.file.tileType, body.file.minZoom, body.file.maxZoom, body.file.bounds], ['渝北区.pmtiles', archive.length, 'mvt', 0, 0, [106.4, 29.5, 106.9, 30]])
  assert.equal(body.type, 'embedded', 'uploading does not switch the basemap by itself')
  const chosen = await (await putSetting(t.app, { type: 'pmtiles' })).json() as any
  assert.match(chosen.url, /^\/api\/basemap\/tiles\.pmtiles\?v=/)

  // A reader over the API's ranges, as the browser's pmtiles protocol reads it.
  const source: Source = {
    getKey: () => chosen.url,
    getBytes: async (offset: number, length: number): Promise<RangeResponse> => {
      const r = await t.app.request(chosen.url, { headers: { range: `bytes=${offset}-${offset + length - 1}` } })
      assert.equal(r.status, 206)
      return { data: await r.arrayBuffer() }
    },
  }
  const reader = new PMTiles(source)
  const header = await reader.getHeader()
  assert.deepEqual([header.tileType, header.maxZoom], [1, 0])
  const tile = await reader.getZxy(0, 0, 0)
  assert.ok(tile && tile.data.byteLength > 20, 'the z0 tile is read back')
  const whole = await t.app.request(chosen.url)
  assert.deepEqual([whole.status, whole.headers.get('accept-ranges'), Number(whole.headers.get('content-length'))], [200, 'bytes', archive.length])
  assert.equal((await t.app.request(chosen.url, { headers: { range: `bytes=${archive.length + 10}-` } })).status, 416)

  // Removing the file goes back to the embedded basemap.
  assert.equal((await t.app.request('/api/basemap/file', { method: 'DELETE' })).status, 200)
  assert.deepEqual((await t.get('/api/basemap')).body, { type: 'embedded', url: '', file: null })
  assert.equal((await t.app.request(chosen.url)).status, 404)
})

test('a file that is not a usable PMTiles archive is refused with the reason, and the basemap stays as it was', async () => {
  const t = await withBasemapDir()
  const good = testPmtiles()
  const cases: [Buffer, string, RegExp][] = [
    [Buffer.from('not a pmtiles file at all, just text'), 'a.pmtiles', /太短|不是 PMTiles/],
    [Buffer.concat([Buffer.from('PMTiles'), Buffer.alloc(200)]), 'b.pmtiles', /第 3 版/],
    [good.subarray(0, good.length - 10), 'c.pmtiles', /不完整/],
    [testPmtiles({ tileType: 9 }), 'd.pmtiles', /瓦片类型未知/],
    [good, 'e.mbtiles', /不是 \.pmtiles 文件/],
  ]
  for (const [bytes, name, message] of cases) {
    const r = await putFile(t.app, bytes, name)
    assert.equal(r.status, 400, name)
    assert.match(((await r.json()) as any).error.message, message, name)
  }
  assert.deepEqual((await t.get('/api/basemap')).body.file, null)
  const reporter = t.as(await createSession(t.db, { role: 'analyst', username: 'a' }))
  assert.equal((await putFile(reporter, good)).status, 403)
  const noDir = await testApp()
  assert.equal((await putFile(noDir.app, good)).status, 409, 'without BASEMAP_DIR the file is refused, saying why')
})
