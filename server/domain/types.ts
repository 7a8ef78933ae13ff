import type {
  BuildLevel, DataType, Deployment, FeatureKind, FreshnessStatus, Network, Purpose, ReportStatus,
  RiskIndicator, RiskLevel, RunStatus, SecurityLevel, Sensitivity, SharingAttribute, SharingMode,
  SubjectClass, UpdateCycle, UpdateSource,
} from './enums.js'

/** The catalog's domain objects as the API serves them (camelCase; rows are mapped in queries.ts). */

export interface Subcategory {
  code: string
  domainCode: string
  name: string
  /** 数据资源所属类别 as written on the form, e.g. 燃气管网安全 */
  category: string
  items: string[]
  builtin: boolean
}
export interface Domain {
  code: string
  name: string
  shortName: string
  dataScope: string
  subcategories: Subcategory[]
}

export interface Department {
  id: number
  /** Full name as written on the forms, e.g. 渝北区应急局 */
  name: string
  /** Name as addressed in the notice, e.g. 区应急局 */
  shortName: string
  systemCount: number
  resourceCount: number
  itemCount: number
  featureCount: number
  reportStatus: ReportStatus | null
}

export interface InfoSystem {
  id: number
  departmentId: number
  departmentName: string
  name: string
  buildLevel: BuildLevel
  builder: string
  operator: string
  deployment: Deployment
  runStatus: RunStatus
  securityLevel: SecurityLevel
  sharesData: boolean
  sharingModes: SharingMode[]
  networks: Network[]
  reviewer: string
  filler: string
  phone: string
  filledAt: string | null
  resourceCount: number
}

export interface Freshness {
  status: FreshnessStatus
  lastUpdatedAt: string | null
  dueAt: string | null
  overdueMs: number
}

export interface DataResource {
  id: number
  departmentId: number
  departmentName: string
  systemId: number
  systemName: string
  domainCode: string
  subcategoryCode: string
  /** 数据资源所属类别, e.g. 燃气管网安全 */
  category: string
  name: string
  provisionMode: SharingMode
  updateCycle: UpdateCycle
  subjectClass: SubjectClass
  purpose: Purpose
  sharingAttribute: SharingAttribute
  sensitivity: Sensitivity
  reviewer: string
  filler: string
  phone: string
  /** 填报时间 from the form */
  filledAt: string | null
  itemCount: number
  featureCount: number
  freshness: Freshness
  /** Where it was harvested from (a city atlas's source and its district), or null for this atlas's own. */
  origin: ResourceOrigin | null
}

/** The provenance of harvested data: the source it came from and the district it belongs to. */
export interface ResourceOrigin {
  sourceId: number
  sourceName: string
  /** The district's code, or null for a DCAT source. */
  districtCode: string | null
  /** The resource's id at its source. */
  remoteId: number | null
}

export interface DataItem {
  id: number
  resourceId: number
  name: string
  dataType: DataType
  length: number
  sortOrder: number
}

export interface ResourceUpdate {
  id: number
  resourceId: number
  updatedAt: string
  recordCount: number
  source: UpdateSource
  note: string
}

export interface Page<T> {
  items: T[]
  total: number
  page: number
  pageSize: number
}

export type IndicatorBreakdown = Partial<Record<RiskIndicator, number>>

/** Properties of a map feature in GeoJSON responses. */
export interface FeatureProperties {
  id: number
  name: string
  kind: FeatureKind
  riskLevel: RiskLevel | null
  /** Score 0–100 per indicator of the risk model, for graded features. */
  indicators: IndicatorBreakdown | null
  impactRadiusM: number | null
  capacity: number | null
  attributes: Record<string, string | number | boolean | null>
  resourceId: number
  departmentId: number
  domainCode: string
  subcategoryCode: string
  districtCode: string | null
  cellId: number | null
  updatedAt: string
}

export interface Provenance {
  department: { id: number; name: string }
  system: { id: number; name: string }
  resource: { id: number; name: string; category: string; updateCycle: UpdateCycle; sensitivity: Sensitivity }
  domain: { code: string; name: string }
  subcategory: { code: string; name: string }
  freshness: Freshness
}

export interface SurveyRound {
  id: number
  title: string
  systemsDeadline: string
  resourcesDeadline: string
  departmentIds: number[]
}

export interface DepartmentReport {
  departmentId: number
  departmentName: string
  status: ReportStatus
  noSystems: boolean
  systemsReportedAt: string | null
  resourcesReportedAt: string | null
  systemsLate: boolean
  resourcesLate: boolean
}

/** One catalog search result: a system, a resource or a data item, with where it sits. */
export interface SearchHit {
  type: 'system' | 'resource' | 'item'
  id: number
  title: string
  subtitle: string
  departmentId: number
  systemId?: number
  resourceId?: number
}

/** One resource as the supervision list shows it: cycle, last real update, next due time, status, and whom to chase. */
export interface SupervisedResource {
  id: number
  name: string
  departmentId: number
  departmentName: string
  systemId: number
  systemName: string
  updateCycle: UpdateCycle
  /** Declared period in milliseconds; null for 不定期 / 其他 (not judged). */
  periodMs: number | null
  lastUpdatedAt: string | null
  dueAt: string | null
  status: FreshnessStatus
  overdueMs: number
  /** The reporter (填报人) and phone from the resource form, falling back to the system form. */
  filler: string
  phone: string
}
