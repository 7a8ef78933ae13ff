import { Hono } from 'hono'
import { allow } from '../auth/allow.js'
import { gunzipSync } from 'node:zlib'
import type { ZodType } from 'zod'
import type { AppDeps } from '../db/deps.js'
import { featureFilterSchema, type FeatureFilter } from '../selection/filters.js'
import { AppError, badRequest } from '../http/errors.js'
import { isValidTile, MAX_TILE_ZOOM } from './tile-math.js'
import { TileService, type CachedTile, type TileServiceOptions } from './tile-service.js'
import { scopeOf } from '../selection/scope.js'

const tileFilterSchema = featureFilterSchema.omit({ bbox: true })

/** The same 400 as the zod validator at the edge (server/http/validate.ts), for a handler that validates late. */
function parseOr400<T>(schema: ZodType<T>, value: unknown, target: string): T {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issues = r.error.issues.map((i) => ({ parameter: i.path.join('.') || target, message: i.message }))
  const first = issues[0]!
  throw new AppError(400, 'invalid_parameter', `invalid ${first.parameter}: ${first.message}`, { parameter: first.parameter, issues })
}

function tileCoords(zs: string, xs: string, file: string): { z: number; x: number; y: number } {
  const ys = /^([0-9]{1,8})\.mvt$/.exec(file)?.[1]
  if (!/^[0-9]{1,2}$/.test(zs) || Number(zs) > MAX_TILE_ZOOM) throw badRequest('z', `z must be a whole number from 0 to ${MAX_TILE_ZOOM}`)
  const z = Number(zs)
  if (!/^[0-9]{1,8}$/.test(xs) || Number(xs) >= 2 ** z) throw badRequest('x', `x must be a whole number from 0 to ${2 ** z - 1} at zoom ${z}`)
  if (ys === undefined || Number(ys) >= 2 ** z) throw badRequest('y', `y must be a whole number from 0 to ${2 ** z - 1} at zoom ${z}, followed by .mvt`)
  const x = Number(xs)
  const y = Number(ys)
  if (!isValidTile(z, x, y)) throw badRequest('z', 'no such tile')
  return { z, x, y }
}

/** Whether a request's If-None-Match names this ETag (weak comparison, as RFC 9110 asks for If-None-Match). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  if (ifNoneMatch.trim() === '*') return true
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)
}

/**
 * Mapbox Vector Tiles of the feature layers: GET /tiles/{z}/{x}/{y}.mvt with the filters of
 * /features. Cached (bounded LRU) and served gzip-compressed with a strong ETag; `no-cache` makes the
 * browser revalidate, which costs a 304 while the data is unchanged.
 */
export function tileRoutes(deps: AppDeps, options: TileServiceOptions = deps.tiles ?? {}) {
  const tiles = new TileService(deps, options)
  // The index of a database never tiled takes seconds to build (off the event loop): begin before the first tile is asked for.
  if (deps.warmTiles) void tiles.version().then((v) => tiles.featureIndex(v)).catch(() => {})
  const respond = (accept: string | undefined, ifNoneMatch: string | undefined, tile: CachedTile) => {
    const gzip = /\bgzip\b/i.test(accept ?? '')
    // A client that cannot take gzip gets the plain tile under its own validator.
    const etag = gzip ? tile.etag : `${tile.etag.slice(0, -1)}-identity"`
    const headers: Record<string, string> = {
      'Content-Type': 'application/vnd.mapbox-vector-tile',
      ETag: etag,
      'Cache-Control': 'no-cache',
      Vary: 'Accept-Encoding',
    }
    if (matches(ifNoneMatch, etag)) return new Response(null, { status: 304, headers })
    if (gzip) return new Response(tile.gz, { status: 200, headers: { ...headers, 'Content-Encoding': 'gzip' } })
    return new Response(gunzipSync(tile.gz), { status: 200, headers })
  }
  return new Hono().get('/tiles/:z/:x/:file', allow('public-read'), async (c) => {
    const { z, x, y } = tileCoords(c.req.param('z'), c.req.param('x'), c.req.param('file'))
    const search = new URL(c.req.url).searchParams
    const version = await tiles.version()
    const scope = scopeOf(c)
    const key = tiles.key(version, z, x, y, await tiles.visibleKey(version, scope), search)
    const accept = c.req.header('accept-encoding')
    const ifNoneMatch = c.req.header('if-none-match')
    const hit = tiles.cached(key)
    if (hit) return respond(accept, ifNoneMatch, hit)
    const f = parseOr400(tileFilterSchema, Object.fromEntries(search), 'query') as FeatureFilter
    const filterKey = key.slice(key.indexOf('|', key.indexOf('|') + 1) + 1)
    const filter = await tiles.tileFilter(filterKey, f, scope)
    return respond(accept, ifNoneMatch, await tiles.build(key, version, z, x, y, filter))
  })
}
