import { Hono } from 'hono'
import { assertLocalDepartment } from '../selection/provenance.js'
import { allow } from '../auth/allow.js'
import type { Context } from 'hono'
import { scopeOf } from '../selection/scope.js'
import { visibleSystem } from '../selection/resolve.js'
import { mayEdit } from '../domain/access.js'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import type { AppDeps } from '../db/deps.js'
import { AppError, forbidden, notFound } from '../http/errors.js'
import { jsonTooDeepAt } from '../http/nesting.js'
import { positiveId, validate } from '../http/validate.js'
import { RegionLocator } from '../geo/regions.js'
import { parseFeatureCollection } from './features.js'
import { bearerKey, generateApiKey, hashApiKey, KEY_PREFIX_LENGTH } from './keys.js'
import { activeKeyByHash, apiKeysOfSystem, insertApiKey, recordUpdate, resourceSystem, revokeApiKey, systemDepartment } from './queries.js'


/** A reported update: when, how many records, and optionally the changed features. */
const updateSchema = z.object({
  resourceId: z.number({ message: 'must be a resource id' }).int('must be a whole number').positive('must be positive'),
  updatedAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-06-15T12:00:00+08:00' }),
  recordCount: z.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative').max(1e12),
  features: z.unknown().optional(),
})

/** How far ahead of the server clock a reported time may be (clock skew); later times would fake freshness. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000

const unauthorized = (message: string) => new AppError(401, 'unauthorized', message)

/**
 * The ingest API for departments' systems (POST /ingest/updates, Bearer API key) and the key management
 * of a system (issue, list, revoke): administrators, and reporters for their own department's systems.
 */
/** Nesting of a report: a MultiPolygon's coordinates in its features are 8 deep; properties get room. */
const MAX_BODY_DEPTH = 32

export function ingestRoutes(deps: AppDeps) {
  const { db } = deps
  // Regions never change after the database is prepared: load the locator once, on first use.
  let locator: Promise<RegionLocator> | null = null
  const regions = () => (locator ??= RegionLocator.load(db))

  /** A system the viewer does not see is 404 (as if missing); one they see but may not manage is 403. */
  const allowKeys = async (c: Context, systemId: number) => {
    await visibleSystem(deps, scopeOf(c), systemId)
    const dept = await systemDepartment(db, systemId)
    if (dept === null) throw notFound('system', systemId)
    if (!mayEdit(c.get('viewer'), dept)) throw forbidden('只有本单位填报人员和系统管理员可以管理接口密钥')
    await assertLocalDepartment(db, dept)
  }
  return new Hono()
    .get('/systems/:id/api-keys', allow('read'), validate('param', z.object({ id: positiveId })), async (c) => {
      const { id } = c.req.valid('param')
      await allowKeys(c, id)
      return c.json({ items: await apiKeysOfSystem(db, id) })
    })
    .post('/systems/:id/api-keys', allow('write', { audit: 'create' }), validate('param', z.object({ id: positiveId })),
      validate('json', z.object({ label: z.string().trim().max(50, 'at most 50 characters').default('') })), async (c) => {
        const { id } = c.req.valid('param')
        const { label } = c.req.valid('json')
        await allowKeys(c, id)
        const key = generateApiKey()
        const info = await insertApiKey(db, id, key.slice(0, KEY_PREFIX_LENGTH), hashApiKey(key), label, deps.now().toISOString())
        // The only time the key is ever shown: only its hash is stored.
        return c.json({ ...info, key }, 201)
      })
    .post('/systems/:id/api-keys/:keyId/revoke', allow('write', { audit: 'update' }), validate('param', z.object({ id: positiveId, keyId: positiveId })), async (c) => {
      const { id, keyId } = c.req.valid('param')
      await allowKeys(c, id)
      const info = await revokeApiKey(db, id, keyId, deps.now().toISOString())
      if (!info) throw notFound('api key', keyId)
      return c.json(info)
    })
    .post('/ingest/updates', allow('ingest', { upload: true, audit: 'ingest' }), bodyLimit({ maxSize: 20 * 1024 * 1024, onError: () => { throw new AppError(413, 'too_large', 'request body exceeds 20 MB') } }), async (c) => {
      const key = bearerKey(c.req.header('Authorization'))
      if (!key) throw unauthorized('an API key is required: Authorization: Bearer <key>')
      const owner = await activeKeyByHash(db, hashApiKey(key))
      if (!owner) throw unauthorized('unknown or revoked API key')
      let raw: unknown
      const text = await c.req.text()
      // Checked before parsing: a body of brackets nested a million deep costs the parser memory per level.
      const tooDeep = jsonTooDeepAt(text, MAX_BODY_DEPTH)
      if (tooDeep >= 0) {
        throw new AppError(400, 'too_deep', `the body nests arrays and objects deeper than ${MAX_BODY_DEPTH} levels (at character ${tooDeep + 1})`, { parameter: 'body' })
      }
      try {
        raw = JSON.parse(text)
      } catch {
        throw new AppError(400, 'invalid_parameter', 'the body must be JSON', { parameter: 'body' })
      }
      const parsed = updateSchema.safeParse(raw)
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ parameter: i.path.join('.') || 'body', message: i.message }))
        throw new AppError(400, 'invalid_parameter', `invalid ${issues[0]!.parameter}: ${issues[0]!.message}`, { parameter: issues[0]!.parameter, issues })
      }
      const body = parsed.data
      const now = deps.now()
      const at = new Date(body.updatedAt)
      if (at.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
        throw new AppError(400, 'invalid_parameter', 'invalid updatedAt: lies in the future', { parameter: 'updatedAt' })
      }
      const resource = await resourceSystem(db, body.resourceId)
      if (!resource) throw notFound('resource', body.resourceId)
      if (resource.systemId !== owner.systemId) {
        throw new AppError(403, 'forbidden', `this key belongs to system ${owner.systemId} and may not report for resource ${body.resourceId}`, { parameter: 'resourceId' })
      }
      let features: ReturnType<typeof parseFeatureCollection> = { features: [] }
      if (body.features !== undefined) {
        features = parseFeatureCollection(body.features)
        if ('problem' in features) {
          const p = features.problem
          throw new AppError(400, 'invalid_feature', p.message, { parameter: p.parameter, index: p.index })
        }
      }
      const list = features.features
      const result = await recordUpdate(db, await regions(), {
        resourceId: body.resourceId, updatedAt: at.toISOString(), recordCount: body.recordCount, keyId: owner.id, receivedAt: now.toISOString(),
        note: list.length ? `接口推送：${list.length} 个要素` : '接口推送',
      }, list)
      return c.json({ resourceId: body.resourceId, updatedAt: at.toISOString(), recordCount: body.recordCount, ...result }, 201)
    })
}
