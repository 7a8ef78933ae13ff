import { z } from 'zod'
import {
  FEATURE_KINDS, FRESHNESS_STATUSES, RISK_LEVELS, SENSITIVITIES, SHARING_MODES, UPDATE_CYCLES, codesOf,
  type FeatureKind, type FreshnessStatus, type RiskLevel, type Sensitivity, type SharingMode, type UpdateCycle,
} from '../domain/enums.js'
import type { Bbox } from '../geo/geometry.js'

/** Filters over the catalog; each list means "any of". Unset means no restriction. */
export interface CatalogFilter {
  domain?: string[]
  subcategory?: string[]
  department?: number[]
  system?: number[]
  resource?: number[]
  updateCycle?: UpdateCycle[]
  sharingMode?: SharingMode[]
  sensitivity?: Sensitivity[]
  freshness?: FreshnessStatus[]
  /** Districts of a city atlas, by districtKey (a district's code, `local`, or `source-<id>` for a DCAT source). */
  district?: string[]
  q?: string
}
/** Catalog filters plus the feature-level ones. */
export interface FeatureFilter extends CatalogFilter {
  kind?: FeatureKind[]
  risk?: RiskLevel[]
  bbox?: Bbox
}

function splitList(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter((s) => s.length > 0)
}

/** A comma-separated list of codes from one enumeration. */
function codeList<const C extends readonly { code: string }[]>(entries: C, what: string) {
  const allowed = new Set(entries.map((e) => e.code))
  return z
    .string()
    .transform(splitList)
    .superRefine((list, ctx) => {
      const bad = list.filter((c) => !allowed.has(c))
      if (bad.length) ctx.addIssue({ code: 'custom', message: `unknown ${what} ${bad.join(', ')}; expected one of ${codesOf(entries).join(', ')}` })
    })
    .transform((list) => list as C[number]['code'][])
    .optional()
}
/** A comma-separated list of free-form codes, checked against live data later. */
const stringList = z.string().transform(splitList).optional()
/** A comma-separated list of positive integer ids. */
const idList = z
  .string()
  .transform(splitList)
  .superRefine((list, ctx) => {
    const bad = list.filter((s) => !/^[1-9][0-9]{0,15}$/.test(s))
    if (bad.length) ctx.addIssue({ code: 'custom', message: `not an id: ${bad.join(', ')}` })
  })
  .transform((list) => list.map(Number))
  .optional()

const catalogFilterSchema = z.object({
  domain: stringList,
  subcategory: stringList,
  department: idList,
  system: idList,
  resource: idList,
  updateCycle: codeList(UPDATE_CYCLES, 'update cycle'),
  sharingMode: codeList(SHARING_MODES, 'sharing mode'),
  sensitivity: codeList(SENSITIVITIES, 'sensitivity'),
  freshness: codeList(FRESHNESS_STATUSES, 'freshness status'),
  district: z.string().transform(splitList).superRefine((list, ctx) => {
    const bad = list.filter((s) => !/^(local|\d{6}|source-[1-9]\d{0,15})$/.test(s))
    if (bad.length) ctx.addIssue({ code: 'custom', message: `not a district: ${bad.join(', ')}; expected a district code such as 500105, local, or source-<id>` })
  }).optional(),
  q: z.string().trim().max(100, 'at most 100 characters').optional(),
})

const bboxSchema = z
  .string()
  .transform((s, ctx) => {
    const parts = s.split(',').map((p) => p.trim())
    const nums = parts.map(Number)
    if (parts.length !== 4 || nums.some((n, i) => parts[i] === '' || !Number.isFinite(n))) {
      ctx.addIssue({ code: 'custom', message: 'expected four numbers minLon,minLat,maxLon,maxLat' })
      return z.NEVER
    }
    const [minX, minY, maxX, maxY] = nums as [number, number, number, number]
    if (minX < -180 || maxX > 180 || minY < -90 || maxY > 90) {
      ctx.addIssue({ code: 'custom', message: 'longitudes must lie in -180..180 and latitudes in -90..90' })
      return z.NEVER
    }
    if (minX > maxX || minY > maxY) {
      ctx.addIssue({ code: 'custom', message: 'minimum exceeds maximum' })
      return z.NEVER
    }
    return [minX, minY, maxX, maxY] as Bbox
  })
  .optional()

export const featureFilterSchema = catalogFilterSchema.extend({
  kind: codeList(FEATURE_KINDS, 'feature kind'),
  risk: codeList(RISK_LEVELS, 'risk level'),
  bbox: bboxSchema,
})

/** Page parameters: page ≥ 1, pageSize 1..max. */
export function pagingSchema(maxPageSize: number, defaultPageSize: number) {
  return z.object({
    page: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000).default(1),
    pageSize: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(maxPageSize, `must be at most ${maxPageSize}`).default(defaultPageSize),
  })
}

/** Whether any filter narrows the set of resources (feature-only filters aside). */
export function narrowsResources(f: CatalogFilter): boolean {
  return Boolean(f.domain || f.subcategory || f.department || f.system || f.resource || f.updateCycle || f.sharingMode || f.sensitivity || f.freshness || f.district || f.q)
}
