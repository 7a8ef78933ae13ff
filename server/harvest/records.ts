import { z } from 'zod'
import {
  BUILD_LEVELS, DATA_TYPES, DEPLOYMENTS, NETWORKS, PURPOSES, RUN_STATUSES, SECURITY_LEVELS, SENSITIVITIES, SHARING_ATTRIBUTES, SHARING_MODES,
  SUBJECT_CLASSES, UPDATE_CYCLES, UPDATE_SOURCES, codesOf,
} from '../domain/enums.js'
import type { HarvestRecordKind } from '../domain/federation.js'
import type { ReportBuilder } from './apply.js'

/**
 * What a city accepts from a source, record by record: the codes must be the product's own and the text
 * bounded. A record that does not fit is reported with its id and skipped; the rest of the page is taken.
 */

const id = z.number().int().positive()
const text = (max: number) => z.string().max(max)
const time = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'not a date-time')
const code = <C extends readonly { code: string }[]>(entries: C) => z.enum(codesOf(entries) as [string, ...string[]])

const count = z.number().int().min(0)
/** What a district's manifest must say; anything else stops the job before it writes. */
export const manifestRecord = z.object({
  protocol: z.number(),
  district: z.object({ code: z.string().regex(/^\d{6}$/), name: text(50).min(1) }),
  ceiling: z.enum(['public', 'internal']),
  asOf: time,
  versions: z.object({ catalog: count, search: count, features: count }),
  counts: z.object({ departments: count, systems: count, resources: count, items: count, updates: count, features: count }),
  maxFeatureRevision: count,
  maxUpdateId: count,
})

export const departmentRecord = z.object({
  id, name: text(100).min(1), shortName: text(100), sortOrder: z.number().int(),
  reporting: z.object({ round: text(200), systemsDeadline: time, resourcesDeadline: time, noSystems: z.boolean(), systemsReportedAt: time.nullable(), resourcesReportedAt: time.nullable() }).nullable(),
})

export const systemRecord = z.object({
  id, departmentId: id, name: text(200).min(1), buildLevel: code(BUILD_LEVELS), builder: text(200), operator: text(200), deployment: code(DEPLOYMENTS),
  runStatus: code(RUN_STATUSES), securityLevel: code(SECURITY_LEVELS), sharesData: z.boolean(), sharingModes: z.array(code(SHARING_MODES)).max(20),
  networks: z.array(code(NETWORKS)).max(20), reviewer: text(100), filler: text(100), phone: text(50), filledAt: time.nullable(), createdAt: time, updatedAt: time,
})

export const resourceRecord = z.object({
  id, systemId: id, departmentId: id, subcategoryCode: text(50).min(1), name: text(200).min(1), provisionMode: code(SHARING_MODES),
  updateCycle: code(UPDATE_CYCLES), subjectClass: code(SUBJECT_CLASSES), purpose: code(PURPOSES), sharingAttribute: code(SHARING_ATTRIBUTES),
  sensitivity: code(SENSITIVITIES), reviewer: text(100), filler: text(100), phone: text(50), filledAt: time.nullable(), createdAt: time, updatedAt: time,
  items: z.array(z.object({ id, name: text(200).min(1), dataType: code(DATA_TYPES), length: z.number().int().min(0).max(1e9), sortOrder: z.number().int() })).max(5000),
})

export const updateRecord = z.object({
  id, resourceId: id, updatedAt: time, recordCount: z.number().int().min(0).max(1e15), source: code(UPDATE_SOURCES), note: text(2000),
})

/** The records of a list that fit `schema`; each that does not is reported under `kind`. */
export function acceptRecords<T>(list: unknown, schema: z.ZodType<T>, kind: HarvestRecordKind, report: ReportBuilder): T[] {
  if (!Array.isArray(list)) {
    report.error({ kind, remoteId: null, name: '', message: '来源返回的列表格式不对' })
    return []
  }
  const out: T[] = []
  for (const r of list) {
    const parsed = schema.safeParse(r)
    if (parsed.success) {
      out.push(parsed.data)
      continue
    }
    const raw = (r ?? {}) as { id?: unknown; name?: unknown }
    const issue = parsed.error.issues[0]!
    report.error({
      kind, remoteId: typeof raw.id === 'number' ? raw.id : null, name: typeof raw.name === 'string' ? raw.name.slice(0, 100) : '',
      message: `字段 ${issue.path.join('.') || '（记录）'} 不符合要求：${issue.message}`,
    })
  }
  return out
}
