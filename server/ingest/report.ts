/**
 * One report of a department's system (POST /ingest/updates), after its key was checked: the body read
 * and checked (depth first, then JSON, the fields and every feature), the resource checked to belong to
 * the key's system, and the update recorded with its features. Runs in the request for small reports,
 * and in a worker thread with its own connection for large ones (report-worker.ts); failures are
 * AppErrors either way.
 */
import { z } from 'zod'
import type { Db } from '../db/connect.js'
import type { RegionLocator } from '../geo/regions.js'
import { AppError, notFound } from '../http/errors.js'
import { jsonTooDeepAt } from '../http/nesting.js'
import { parseFeatureCollection } from './features.js'
import { recordUpdate, resourceSystem, type RecordedUpdate } from './queries.js'

/** A reported update: when, how many records, and optionally the changed features. */
const updateSchema = z.object({
  resourceId: z.number({ message: 'must be a resource id' }).int('must be a whole number').positive('must be positive'),
  updatedAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-06-15T12:00:00+08:00' }),
  recordCount: z.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative').max(1e12),
  features: z.unknown().optional(),
})

/** How far ahead of the server clock a reported time may be (clock skew); later times would fake freshness. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000
/** Nesting of a report: a MultiPolygon's coordinates in its features are 8 deep; properties get room. */
const MAX_BODY_DEPTH = 32

export interface IngestReport {
  /** The request body as sent. */
  text: string
  keyId: number
  /** The system the key belongs to. */
  systemId: number
  /** When it was received (ISO). */
  now: string
}

export type RecordedReport = RecordedUpdate & { resourceId: number; updatedAt: string; recordCount: number }

export async function recordReport(db: Db, locator: RegionLocator, r: IngestReport): Promise<RecordedReport> {
  // Checked before parsing: a body of brackets nested a million deep costs the parser memory per level.
  const tooDeep = jsonTooDeepAt(r.text, MAX_BODY_DEPTH)
  if (tooDeep >= 0) {
    throw new AppError(400, 'too_deep', `the body nests arrays and objects deeper than ${MAX_BODY_DEPTH} levels (at character ${tooDeep + 1})`, { parameter: 'body' })
  }
  let raw: unknown
  try {
    raw = JSON.parse(r.text)
  } catch {
    throw new AppError(400, 'invalid_parameter', 'the body must be JSON', { parameter: 'body' })
  }
  const parsed = updateSchema.safeParse(raw)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ parameter: i.path.join('.') || 'body', message: i.message }))
    throw new AppError(400, 'invalid_parameter', `invalid ${issues[0]!.parameter}: ${issues[0]!.message}`, { parameter: issues[0]!.parameter, issues })
  }
  const body = parsed.data
  const now = new Date(r.now)
  const at = new Date(body.updatedAt)
  if (at.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw new AppError(400, 'invalid_parameter', 'invalid updatedAt: lies in the future', { parameter: 'updatedAt' })
  }
  const resource = await resourceSystem(db, body.resourceId)
  if (!resource) throw notFound('resource', body.resourceId)
  if (resource.systemId !== r.systemId) {
    throw new AppError(403, 'forbidden', `this key belongs to system ${r.systemId} and may not report for resource ${body.resourceId}`, { parameter: 'resourceId' })
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
  const result = await recordUpdate(db, locator, {
    resourceId: body.resourceId, updatedAt: at.toISOString(), recordCount: body.recordCount, keyId: r.keyId, receivedAt: now.toISOString(),
    note: list.length ? `接口推送：${list.length} 个要素` : '接口推送',
  }, list)
  return { resourceId: body.resourceId, updatedAt: at.toISOString(), recordCount: body.recordCount, ...result }
}
