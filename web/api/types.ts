import type { ENUMS, FreshnessStatus, ReportStatus, RiskLevel, FeatureKind } from '../../server/domain/enums.js'
import type {
  DataItem, DataResource, Department, DepartmentReport, Domain, InfoSystem, Page, Provenance,
  ResourceUpdate, SurveyRound, FeatureProperties,
} from '../../server/domain/types.js'
import type { AtlasFeature, AtlasFeatureCollection } from './geojson.js'

/** Response bodies of the API, as the contract in the issue describes them. */

export type Bbox = [number, number, number, number]

export interface MetaResponse {
  title: string
  demo: boolean
  domains: Domain[]
  enums: typeof ENUMS
  departments: { id: number; name: string; shortName: string }[]
}

export interface DepartmentDetail {
  department: Department
  systems: InfoSystem[]
  report: DepartmentReport | null
  freshness: { counts: Record<FreshnessStatus, number>; onTimeRate: number | null }
  coverage: { domainCode: string; subcategoryCode: string; resources: number; features: number }[]
  bbox: Bbox | null
}

export interface SystemDetail {
  system: InfoSystem
  resources: DataResource[]
}

export interface ResourceDetail {
  resource: DataResource
  items: DataItem[]
  updates: ResourceUpdate[]
  bbox: Bbox | null
}

export type ItemRow = DataItem & { resourceName: string; systemName: string; departmentName: string }

export type { SearchHit as SearchResult } from '../../server/domain/types.js'

export interface FeaturePage extends AtlasFeatureCollection {
  numberReturned: number
  links: { rel: string; href: string }[]
}

export type FeatureDetail = AtlasFeature<FeatureProperties & { provenance: Provenance }>

export interface RegionProperties {
  code?: string
  name?: string
  focus?: boolean
  id?: number
  row?: number
  col?: number
}

export interface Overview {
  departments: { total: number; reported: number; noSystems: number; notStarted: number; late: number }
  systems: number
  resources: number
  items: number
  features: number
  featuresByRisk: Record<RiskLevel, number>
  overdueResources: number
  freshness: Record<FreshnessStatus, number>
  demo: boolean
}

export interface CoverageCell {
  subcategoryCode: string
  resources: number
  features: number
  monitoring: number
}

export interface Coverage {
  domains: {
    code: string
    name: string
    covered: number
    total: number
    subcategories: { code: string; name: string; resources: number; features: number; monitoring: number; departments: number }[]
  }[]
  byDepartment: { departmentId: number; name: string; cells: CoverageCell[] }[]
}

export interface UpdateCycleStats {
  cycles: { code: string; label: string; resources: number }[]
}

export interface FreshnessStats {
  totals: Record<FreshnessStatus, number>
  departments: { departmentId: number; name: string; counts: Record<FreshnessStatus, number>; onTimeRate: number | null }[]
}

export interface RiskStats {
  byKind: { kind: FeatureKind; red: number; orange: number; yellow: number; blue: number; ungraded: number }[]
  byDistrict: { code: string; name: string; red: number; orange: number; yellow: number; blue: number; total: number }[]
  byCell: { cellId: number; red: number; orange: number; yellow: number; blue: number; total: number }[]
}

export interface ReportingStats {
  round: SurveyRound
  departments: DepartmentReport[]
  counts: Record<ReportStatus, number>
}

export type { Page, DataResource, DataItem, InfoSystem, Department, Domain, ResourceUpdate, DepartmentReport }
