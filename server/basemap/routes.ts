import { createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readSync, closeSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Hono } from 'hono'
import { z } from 'zod'
import { allow } from '../auth/allow.js'
import type { AppDeps } from '../db/deps.js'
import { readJsonSetting, writeJsonSetting } from '../db/settings.js'
import { PMTILES_HEADER_BYTES, readPmtilesHeader, type PmtilesInfo } from '../domain/pmtiles.js'
import { AppError, badRequest, notFound } from '../http/errors.js'
import { validate } from '../http/validate.js'

/**
 * The basemap under every map, chosen by an administrator and kept on the server (every browser and
 * wall screen shows the same): the embedded offline one (district boundaries and the grid), a PMTiles
 * file uploaded here (vector tiles drawn with the Protomaps styles, or image tiles), a MapLibre style
 * URL or an XYZ raster template on the extranet. The PMTiles file is served with HTTP range requests,
 * as the pmtiles protocol in the browser reads it.
 */

export const BASEMAP_TYPES = ['embedded', 'pmtiles', 'style', 'raster'] as const
export type BasemapType = (typeof BASEMAP_TYPES)[number]

export interface BasemapFile extends PmtilesInfo { name: string; size: number; uploadedAt: string }
export interface BasemapSetting { type: BasemapType; url: string; file: BasemapFile | null }

const KEY = 'basemap'
const FILE = 'basemap.pmtiles'
const DEFAULT: BasemapSetting = { type: 'embedded', url: '', file: null }
/** A city's vector basemap is a few hundred MB; a province's imagery can be many GB. */
export const BASEMAP_MAX_BYTES = 16 * 1024 ** 3

const body = z.object({
  type: z.enum(BASEMAP_TYPES, { message: `must be one of ${BASEMAP_TYPES.join(', ')}` }),
  url: z.string().trim().max(2000, 'at most 2000 characters').default(''),
})

/** Why a URL cannot be the basemap of this type, or null. */
function urlProblem(type: BasemapType, url: string): string | null {
  if (type !== 'style' && type !== 'raster') return null
  if (!/^(https?:\/\/[^\s]+|\/[^\s]*)$/.test(url)) return '地址须以 http://、https:// 或 / 开头，且不含空格'
  if (type === 'raster' && !/\{z\}.*\{x\}.*\{y\}/.test(url)) return '栅格瓦片地址须依次包含 {z}、{x}、{y}'
  return null
}

export function basemapRoutes(deps: AppDeps) {
  const { db } = deps
  const dir = deps.basemapDir ?? null
  const read = () => readJsonSetting<BasemapSetting>(db.kysely, KEY, DEFAULT)
  const write = (next: BasemapSetting) => writeJsonSetting(db.kysely, KEY, next)
  /** What browsers are told: the file's address carries its upload time, so a new file is never served from a cache. */
  const shown = (s: BasemapSetting) => ({
    type: s.type,
    url: s.type === 'pmtiles' && s.file ? `/api/basemap/tiles.pmtiles?v=${encodeURIComponent(s.file.uploadedAt)}` : s.url,
    file: s.file,
  })
  const filePath = () => {
    if (!dir) throw new AppError(409, 'no_basemap_dir', '本服务未配置底图文件目录（BASEMAP_DIR），不能上传底图文件')
    return join(dir, FILE)
  }

  return new Hono()
    .get('/basemap', allow('public-read'), async (c) => c.json(shown(await read())))
    .put('/basemap', allow('admin', { audit: 'settings' }), validate('json', body), async (c) => {
      const { type, url } = c.req.valid('json')
      const current = await read()
      const problem = urlProblem(type, url)
      if (problem) throw badRequest('url', problem)
      if (type === 'pmtiles' && !current.file) throw badRequest('type', '尚未上传 PMTiles 底图文件')
      const next: BasemapSetting = { ...current, type, url: type === 'style' || type === 'raster' ? url : '' }
      await write(next)
      return c.json(shown(next))
    })
    // The file comes as the request body itself (application/octet-stream), streamed to disk: never held in memory.
    .put('/basemap/file', allow('admin', { audit: 'settings', upload: true }), async (c) => {
      const target = filePath()
      const name = (c.req.header('x-file-name') ? decodeURIComponent(c.req.header('x-file-name')!) : 'basemap.pmtiles').slice(0, 200)
      if (!/\.pmtiles$/i.test(name)) throw badRequest('file', `“${name}”不是 .pmtiles 文件：请上传 PMTiles 格式的底图（可用 pmtiles convert 由 MBTiles 转换）`)
      const declared = Number(c.req.header('content-length') ?? NaN)
      if (declared > BASEMAP_MAX_BYTES) throw new AppError(413, 'too_large', `文件超过上限 ${BASEMAP_MAX_BYTES / 1024 ** 3} GB`)
      if (!c.req.raw.body) throw badRequest('file', '请求中没有文件内容')
      mkdirSync(dir!, { recursive: true })
      const part = `${target}.${process.pid}.part`
      let received = 0
      const cap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          received += chunk.length
          if (received > BASEMAP_MAX_BYTES) done(new AppError(413, 'too_large', `文件超过上限 ${BASEMAP_MAX_BYTES / 1024 ** 3} GB`))
          else done(null, chunk)
        },
      })
      try {
        await pipeline(Readable.fromWeb(c.req.raw.body as never), cap, createWriteStream(part))
        const head = Buffer.alloc(PMTILES_HEADER_BYTES)
        const fd = openSync(part, 'r')
        const got = (() => { try { return readSync(fd, head, 0, PMTILES_HEADER_BYTES, 0) } finally { closeSync(fd) } })()
        const info = readPmtilesHeader(head.subarray(0, got), received)
        if ('problem' in info) throw badRequest('file', `“${name}”不能用作底图：${info.problem}`)
        renameSync(part, target)
        const file: BasemapFile = { ...info, name, size: received, uploadedAt: deps.now().toISOString() }
        const next = { ...(await read()), file }
        await write(next)
        return c.json(shown(next), 201)
      } finally {
        rmSync(part, { force: true })
      }
    })
    .delete('/basemap/file', allow('admin', { audit: 'settings' }), async (c) => {
      const current = await read()
      if (!current.file) throw notFound('basemap file', 'pmtiles')
      if (dir) rmSync(join(dir, FILE), { force: true })
      const next: BasemapSetting = { type: current.type === 'pmtiles' ? 'embedded' : current.type, url: current.url, file: null }
      await write(next)
      return c.json(shown(next))
    })
    // The archive, by byte ranges (what the pmtiles protocol asks for) or whole.
    .get('/basemap/tiles.pmtiles', allow('public-read'), validate('query', z.object({ v: z.string().max(40).optional() })), async (c) => {
      const current = await read()
      const path = dir ? join(dir, FILE) : null
      if (!current.file || !path || !existsSync(path)) throw notFound('basemap file', 'pmtiles')
      const size = statSync(path).size
      const etag = `"${current.file.uploadedAt}-${size}"`
      c.header('Accept-Ranges', 'bytes')
      c.header('ETag', etag)
      // Versioned by the address (?v=upload time): a browser may keep it; a new upload has a new address.
      c.header('Cache-Control', 'public, max-age=86400')
      c.header('Content-Type', 'application/vnd.pmtiles')
      const range = c.req.header('range')
      if (!range) {
        c.header('Content-Length', String(size))
        return c.body(Readable.toWeb(createReadStream(path)) as never, 200)
      }
      const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim())
      let start = m && m[1] !== '' ? Number(m[1]) : NaN
      let end = m && m[2] !== '' ? Number(m[2]) : size - 1
      if (m && m[1] === '' && m[2] !== '') {
        // A suffix range: the last N bytes.
        start = Math.max(0, size - Number(m[2]))
        end = size - 1
      }
      if (!Number.isFinite(start) || start > end || start >= size) {
        c.header('Content-Range', `bytes */${size}`)
        return c.json({ error: { code: 'range_not_satisfiable', message: `range ${range} is outside the file's ${size} bytes` } }, 416)
      }
      end = Math.min(end, size - 1)
      c.header('Content-Range', `bytes ${start}-${end}/${size}`)
      c.header('Content-Length', String(end - start + 1))
      return c.body(Readable.toWeb(createReadStream(path, { start, end })) as never, 206)
    })
}
