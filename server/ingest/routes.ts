import { Hono } from 'hono'
import { assertLocalDepartment } from '../selection/provenance.js'
import { allow } from '../auth/allow.js'
import type { Context } from 'hono'
import { scopeOf } from '../selection/scope.js'
import { visibleSystem } from '../selection/resolve.js'
import { mayEdit } from '../domain/access.js'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { ownConnectionUrl, type AppDeps } from '../db/deps.js'
import { AppError, forbidden, notFound } from '../http/errors.js'
import { runWorkerTask, siblingModule, WorkerLimitError } from '../http/worker-task.js'
import { positiveId, validate } from '../http/validate.js'
import { RegionLocator } from '../geo/regions.js'
import { recordReport, type RecordedReport } from './report.js'
import type { ReportAnswer } from './report-worker.js'
import { bearerKey, generateApiKey, hashApiKey, KEY_PREFIX_LENGTH } from './keys.js'
import { activeKeyByHash, apiKeysOfSystem, insertApiKey, revokeApiKey, systemDepartment } from './queries.js'

/** Reports larger than this (characters of JSON, some thousand features) are recorded off the event loop. */
const OFF_THREAD_CHARS = 256 * 1024
const WORKER = siblingModule(import.meta.url, 'report-worker')
/** A 20 MB report parsed is some ten times that in objects; its rows are written in the same worker. */
const REPORT_WORKER_LIMITS = { heapMb: 512, timeoutMs: 120_000 }

const unauthorized = (message: string) => new AppError(401, 'unauthorized', message)

/**
 * The ingest API for departments' systems (POST /ingest/updates, Bearer API key) and the key management
 * of a system (issue, list, revoke): administrators, and reporters for their own department's systems.
 */
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
      const text = await c.req.text()
      const report = { text, keyId: owner.id, systemId: owner.systemId, now: deps.now().toISOString() }
      const url = ownConnectionUrl(deps)
      let recorded: RecordedReport
      if (url && text.length > OFF_THREAD_CHARS) {
        // A large report is read, checked and written by a worker thread with its own connection.
        const answer = await db.writeGate.hold(() => runWorkerTask<ReportAnswer>(WORKER, { databaseUrl: url, report }, REPORT_WORKER_LIMITS)).catch((err: unknown) => {
          if (err instanceof WorkerLimitError) {
            throw new AppError(400, 'too_complex', `the report needs more than ${err.kind === 'memory' ? `${err.limits.heapMb} MB` : `${err.limits.timeoutMs / 1000} s`} to read and record: send its features in several smaller reports`, { parameter: 'body' })
          }
          throw err
        })
        if (!answer.ok) throw new AppError(400, answer.code, answer.message)
        if ('error' in answer.value) {
          const e = answer.value.error
          throw new AppError(e.status, e.code, e.message, e.details)
        }
        recorded = answer.value.recorded
        await db.versions.refresh()
      } else {
        recorded = await recordReport(db, await regions(), report)
      }
      return c.json(recorded, 201)
    })
}
