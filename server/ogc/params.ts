import { z } from 'zod'
import { RISK_LEVELS, codesOf } from '../domain/enums.js'
import type { Bbox } from '../geo/geometry.js'
import type { TimeFilter } from './queries.js'

/**
 * Query parameters of OGC API – Features Part 1 (OGC 17-069r4), validated with zod so that the
 * OpenAPI document is generated from the same schemas. Every mistake is a 400 naming the parameter.
 */

const RFC3339_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DAY_MS = 86_400_000

/** A calendar date that exists (2026-02-30 does not). */
function realDate(y: string, m: string, d: string): boolean {
  const t = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
  return t.getUTCFullYear() === Number(y) && t.getUTCMonth() === Number(m) - 1 && t.getUTCDate() === Number(d)
}

type Moment = { start: number; end: number; exact: boolean }

/** An RFC 3339 date-time (one instant) or full-date (the whole UTC day), or null when malformed. */
function parseMoment(s: string): Moment | null {
  const dt = RFC3339_DATE_TIME.exec(s)
  if (dt) {
    if (!realDate(dt[1]!, dt[2]!, dt[3]!) || Number(dt[4]) > 23 || Number(dt[5]) > 59 || Number(dt[6]) > 60) return null
    const t = Date.parse(s.toUpperCase())
    return Number.isNaN(t) ? null : { start: t, end: t, exact: true }
  }
  const d = FULL_DATE.exec(s)
  if (d) {
    if (!realDate(d[1]!, d[2]!, d[3]!)) return null
    const t = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]))
    return { start: t, end: t + DAY_MS, exact: false }
  }
  return null
}

const iso = (t: number) => new Date(t).toISOString()

/**
 * The `datetime` parameter: an instant (`2026-06-05T12:00:00Z`, a date means that whole UTC day) or a
 * closed or half-open interval (`a/b`, `../b`, `a/..`; an empty end is open too).
 */
function parseDatetime(value: string): TimeFilter | string {
  const parts = value.split('/')
  if (parts.length > 2) return 'expected an RFC 3339 instant or an interval start/end'
  if (parts.length === 1) {
    const m = parseMoment(value)
    if (!m) return 'expected an RFC 3339 date-time such as 2026-06-05T12:00:00Z, a date, or an interval start/end with .. for an open end'
    return m.exact ? { from: iso(m.start), to: iso(m.end), toExclusive: false } : { from: iso(m.start), to: iso(m.end), toExclusive: true }
  }
  const [a, b] = parts as [string, string]
  const open = (s: string) => s === '..' || s === ''
  const start = open(a) ? null : parseMoment(a)
  const end = open(b) ? null : parseMoment(b)
  if (!open(a) && !start) return `interval start ${a} is not an RFC 3339 date-time or date (use .. for an open start)`
  if (!open(b) && !end) return `interval end ${b} is not an RFC 3339 date-time or date (use .. for an open end)`
  if (start && end && start.start > end.end) return 'interval start lies after its end'
  return { from: start ? iso(start.start) : null, to: end ? iso(end.end) : null, toExclusive: !!end && !end.exact }
}

const datetimeSchema = z.string().transform((s, ctx) => {
  const r = parseDatetime(s.trim())
  if (typeof r === 'string') {
    ctx.addIssue({ code: 'custom', message: r })
    return z.NEVER
  }
  return r
})

const bboxSchema = z.string().transform((s, ctx) => {
  const parts = s.split(',').map((p) => p.trim())
  const nums = parts.map(Number)
  if (parts.length === 6) {
    ctx.addIssue({ code: 'custom', message: 'a three-dimensional bbox (6 numbers) is not supported: the features have no heights; give minLon,minLat,maxLon,maxLat' })
    return z.NEVER
  }
  if (parts.length !== 4 || nums.some((n, i) => parts[i] === '' || !Number.isFinite(n))) {
    ctx.addIssue({ code: 'custom', message: 'expected four numbers minLon,minLat,maxLon,maxLat (CRS84)' })
    return z.NEVER
  }
  const [minX, minY, maxX, maxY] = nums as [number, number, number, number]
  if (minX < -180 || maxX > 180 || minY < -90 || maxY > 90 || minX > 180 || maxX < -180 || minY > 90 || maxY < -90) {
    ctx.addIssue({ code: 'custom', message: 'longitudes must lie in -180..180 and latitudes in -90..90' })
    return z.NEVER
  }
  if (minY > maxY) {
    ctx.addIssue({ code: 'custom', message: 'the southern latitude exceeds the northern one' })
    return z.NEVER
  }
  if (minX > maxX) {
    // A box across the antimeridian: nowhere near the district, so no feature can match; refuse clearly instead.
    ctx.addIssue({ code: 'custom', message: 'boxes crossing the antimeridian are not supported' })
    return z.NEVER
  }
  return [minX, minY, maxX, maxY] as Bbox
})

function splitList(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter((s) => s.length > 0)
}

const idList = z.string().transform((s, ctx) => {
  const list = splitList(s)
  const bad = list.filter((v) => !/^[1-9][0-9]{0,15}$/.test(v))
  if (!list.length || bad.length) {
    ctx.addIssue({ code: 'custom', message: `expected department ids (comma-separated), got ${s}` })
    return z.NEVER
  }
  return list.map(Number)
})

const codeList = z.string().transform((s, ctx) => {
  const list = splitList(s)
  if (!list.length) {
    ctx.addIssue({ code: 'custom', message: 'expected one or more codes (comma-separated)' })
    return z.NEVER
  }
  return list
})

const riskCodes = new Set<string>(codesOf(RISK_LEVELS))
const riskList = codeList.superRefine((list, ctx) => {
  const bad = list.filter((c) => !riskCodes.has(c))
  if (bad.length) ctx.addIssue({ code: 'custom', message: `unknown risk level ${bad.join(', ')}; expected one of ${[...riskCodes].join(', ')}` })
})

/** `f`: the only encoding is (Geo)JSON; a client may ask for it by name. */
const formatSchema = z.enum(['json', 'geojson'], { message: 'must be json or geojson (the only encodings served)' }).optional()

/** Query of /collections/{collectionId}/items; unknown parameters are refused (/rec/core/query-param-unknown). */
export const itemsQuerySchema = z.object({
  limit: z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'must be at most 10000').default(10),
  offset: z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER, 'too large').default(0),
  bbox: bboxSchema.optional(),
  datetime: datetimeSchema.optional(),
  department: idList.optional(),
  subcategory: codeList.optional(),
  riskLevel: riskList.optional(),
  f: formatSchema,
}).strict()

/** Query of a single feature. */
export const itemQuerySchema = z.object({ f: formatSchema }).strict()

/** Query of the landing page, conformance and collections: only `f` is meaningful, other parameters are ignored. */
export const metadataQuerySchema = z.object({ f: z.enum(['json'], { message: 'must be json (the only encoding served)' }).optional() })

export const collectionParam = z.object({ collectionId: z.string().max(100, 'at most 100 characters') })

/** A feature id as a path segment; anything that is not a positive whole number cannot exist (404, not 400). */
export const featureParam = collectionParam.extend({ featureId: z.string().max(40, 'at most 40 characters') })

/** The parameter names a strict query schema allows, to name an unknown one in the 400. */
export function allowedKeys(schema: z.ZodObject): Set<string> {
  return new Set(Object.keys(schema.shape))
}
