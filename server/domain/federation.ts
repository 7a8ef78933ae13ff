import type { KioskCeiling } from './enums.js'

/**
 * Federation of atlases (SPEC: district → city): what a district atlas lets a city atlas harvest with a
 * federation token, and what the city keeps of each harvest job. Shared by server and web.
 */

/** An instance's role: a district atlas (its own catalog) or a city atlas that also harvests districts. */
export const ATLAS_ROLES = ['district', 'city'] as const
export type AtlasRole = (typeof ATLAS_ROLES)[number]

/** The version of the harvest protocol below; a city refuses a district that speaks another. */
export const FEDERATION_PROTOCOL = 1

/** Federation tokens look like `csa_fed_<43 base64url characters>`. */
export const FEDERATION_TOKEN_PREFIX = 'csa_fed_'

/** A federation token as the district's administrator sees it (the token itself is shown once). */
export interface FederationTokenInfo {
  id: number
  label: string
  prefix: string
  ceiling: KioskCeiling
  createdAt: string
  createdBy: string | null
  revokedAt: string | null
  lastUsedAt: string | null
}

/** GET /api/federation/manifest: who the district is, what it shares and how much of it there is now. */
export interface FederationManifest {
  protocol: number
  district: { code: string; name: string }
  ceiling: KioskCeiling
  /** The district's clock when the manifest was read. */
  asOf: string
  /** Data versions: a city skips what did not change since its last job. */
  versions: { catalog: number; search: number; features: number }
  counts: Record<'departments' | 'systems' | 'resources' | 'items' | 'updates' | 'features', number>
  maxFeatureRevision: number
  maxUpdateId: number
}

export interface FederatedDepartment {
  id: number
  name: string
  shortName: string
  sortOrder: number
  /** The department's reporting in the district's latest survey round, or null when it is in none. */
  reporting: {
    round: string
    systemsDeadline: string
    resourcesDeadline: string
    noSystems: boolean
    systemsReportedAt: string | null
    resourcesReportedAt: string | null
  } | null
}

export interface FederatedSystem {
  id: number
  departmentId: number
  name: string
  buildLevel: string
  builder: string
  operator: string
  deployment: string
  runStatus: string
  securityLevel: string
  sharesData: boolean
  sharingModes: string[]
  networks: string[]
  reviewer: string
  filler: string
  phone: string
  filledAt: string | null
  createdAt: string
  updatedAt: string
}

export interface FederatedItem { id: number; name: string; dataType: string; length: number; sortOrder: number }

export interface FederatedResource {
  id: number
  systemId: number
  departmentId: number
  subcategoryCode: string
  name: string
  provisionMode: string
  updateCycle: string
  subjectClass: string
  purpose: string
  sharingAttribute: string
  sensitivity: string
  reviewer: string
  filler: string
  phone: string
  filledAt: string | null
  createdAt: string
  updatedAt: string
  items: FederatedItem[]
}

export interface FederatedUpdate { id: number; resourceId: number; updatedAt: string; recordCount: number; source: string; note: string }

export interface FederatedFeature {
  id: number
  resourceId: number
  kind: string
  name: string
  /** RFC 7946 geometry as JSON text, as the district stores it. */
  geometry: string
  bbox: [number, number, number, number]
  riskLevel: string | null
  indicators: string | null
  impactRadiusM: number | null
  capacity: number | null
  capacityUnit: string | null
  attributes: string
  cellId: number | null
  updatedAt: string
  revision: number | null
}

/** A page of a federation list: `next` is the cursor of the next page, null after the last. */
export interface FederationPage<T> { items: T[]; next: number | null }

// ---- At the city ----

export const HARVEST_KINDS = ['atlas', 'dcat'] as const
export type HarvestKind = (typeof HARVEST_KINDS)[number]

/** What a job moves, in the order it moves them. */
export const HARVEST_RECORD_KINDS = [
  { code: 'departments', label: '部门' },
  { code: 'systems', label: '信息系统' },
  { code: 'resources', label: '数据资源' },
  { code: 'items', label: '数据项' },
  { code: 'updates', label: '更新记录' },
  { code: 'features', label: '空间要素' },
] as const
export type HarvestRecordKind = (typeof HARVEST_RECORD_KINDS)[number]['code']

export const HARVEST_STATUSES = [
  { code: 'running', label: '运行中' },
  { code: 'succeeded', label: '成功' },
  { code: 'errors', label: '完成但有错误' },
  { code: 'failed', label: '失败' },
  { code: 'awaiting-confirmation', label: '待确认删除' },
  { code: 'confirmed', label: '已确认删除' },
  { code: 'declined', label: '已拒绝删除' },
] as const
export type HarvestStatus = (typeof HARVEST_STATUSES)[number]['code']

export interface HarvestTally {
  /** Records the source has (of what it shares), when it says; null when it does not. */
  source: number | null
  /** Records the city holds from the source after the job. */
  harvested: number
  added: number
  updated: number
  deleted: number
  unchanged: number
}

export interface HarvestRecordError {
  kind: HarvestRecordKind | 'source'
  /** The record's id at the source, when the error concerns one record. */
  remoteId: number | string | null
  name: string
  message: string
}

/** What a job did: per kind, its errors (each with the record it concerns), and how long it took. */
export interface HarvestReport {
  tallies: Partial<Record<HarvestRecordKind, HarvestTally>>
  errors: HarvestRecordError[]
  /** Errors beyond those listed (a report keeps the first 200). */
  moreErrors: number
  /** Whether the job found nothing changed at the source since the last one (by data version). */
  skipped: HarvestRecordKind[]
  /** The deletions the guard stopped, per kind, with the share of the source's records they are. */
  guard: { kind: HarvestRecordKind; deleting: number; of: number; share: number }[] | null
  bytes: number
  requests: number
  /** Where the time went, step by step (milliseconds), in order. */
  phases?: { step: string; ms: number }[]
}

export const MAX_REPORTED_ERRORS = 200

export interface HarvestJobInfo {
  id: number
  sourceId: number
  sourceName: string
  cause: 'schedule' | 'manual' | 'confirmed'
  status: HarvestStatus
  startedBy: string | null
  startedAt: string
  finishedAt: string | null
  durationMs: number | null
  error: string | null
  report: HarvestReport | null
}

export interface HarvestSourceInfo {
  id: number
  kind: HarvestKind
  name: string
  url: string
  /** The first characters of its token, to tell tokens apart (the token is never shown again). */
  tokenPrefix: string
  districtCode: string | null
  districtName: string | null
  defaultSubcategory: string | null
  scheduleMinutes: number
  deleteThreshold: number
  enabled: boolean
  createdAt: string
  lastAttemptAt: string | null
  lastSuccessAt: string | null
  /** Not harvested successfully within its schedule (twice its interval, at least 30 minutes): its data may be stale. */
  stale: boolean
  lastJob: HarvestJobInfo | null
}

/**
 * The key a resource's district is filtered and grouped by at a city atlas: the district's code for
 * data harvested from a district atlas, `source-<id>` for a DCAT source, `local` for the atlas's own.
 */
export function districtKey(origin: { sourceId: number; districtCode: string | null } | null): string {
  return origin === null ? 'local' : origin.districtCode ?? `source-${origin.sourceId}`
}

/** A source is stale when its last success is older than twice its schedule (at least 30 minutes). */
export function sourceIsStale(s: { scheduleMinutes: number; lastSuccessAt: string | null; createdAt: string }, now: Date): boolean {
  const graceMs = Math.max(2 * s.scheduleMinutes, 30) * 60_000
  const since = Date.parse(s.lastSuccessAt ?? s.createdAt)
  return now.getTime() - since > graceMs
}
