import { requestJson } from './supervision.js'

/** Typed calls of the analyses (server/analysis). */

export interface MatrixCell { resources: number; features: number; monitoringResources: number; monitoringPoints: number }
export interface CoverageMatrix {
  departments: { id: number; name: string }[]
  rows: { domainCode: string; domainName: string; code: string; name: string; cells: MatrixCell[]; total: MatrixCell; departments: number; covered: boolean }[]
  uncovered: { code: string; name: string; domainCode: string }[]
  monitoringRule: string
}

export interface ConflictSource { departmentId: number; departmentName: string; systemId: number; systemName: string; resourceId: number; resourceName: string; asWritten: string }
export interface Conflict { key: string; name: string; subcategoryCode: string | null; departments: number; sources: ConflictSource[] }
export interface Conflicts { scope: 'subcategory' | 'all'; resources: Conflict[]; items: Conflict[] }

export type SharingGapReason = 'not-shared' | 'file-only' | 'system-not-sharing'
export interface SharingGap {
  resourceId: number; resourceName: string; departmentId: number; departmentName: string; systemId: number; systemName: string
  domainCode: string; subcategoryCode: string; reasons: SharingGapReason[]
}
export interface SharingGaps {
  reasons: { code: SharingGapReason; label: string }[]
  total: number
  gaps: number
  byReason: Record<SharingGapReason, number>
  byDepartment: { departmentId: number; name: string; resources: number; gaps: number; byReason: Record<SharingGapReason, number>; items: SharingGap[] }[]
  byDomain: { code: string; name: string; resources: number; gaps: number; byReason: Record<SharingGapReason, number> }[]
}

export interface SpatialCoverage {
  total: number
  max: number
  cells: { cellId: number; code: string; row: number | null; col: number | null; inside: boolean; n: number }[]
  emptyCells: string[]
  districts: { code: string; name: string; focus: boolean; n: number }[]
}

export interface NearbyFeature { id: number; name: string; at: [number, number]; distanceM: number; capacity?: number | null; capacityUnit?: string | null }
export interface Surroundings {
  hazard: { id: number; name: string; riskLevel: string | null; impactRadiusM: number | null } | null
  centre: [number, number]
  radiusM: number
  reachM: number
  searchedM: number
  targets: NearbyFeature[]
  emergency: { type: string; label: string; nearest: NearbyFeature[] }[]
  shelters: { count: number; capacity: number; nearest: NearbyFeature[] }
}

const qs = (params: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v))
  const s = p.toString()
  return s ? `?${s}` : ''
}

export const analysisApi = {
  coverage: (signal?: AbortSignal) => requestJson<CoverageMatrix>('/api/analysis/coverage', { signal }),
  conflicts: (scope: 'subcategory' | 'all', signal?: AbortSignal) => requestJson<Conflicts>(`/api/analysis/conflicts${qs({ scope })}`, { signal }),
  sharing: (signal?: AbortSignal) => requestJson<SharingGaps>('/api/analysis/sharing', { signal }),
  spatial: (f: { kind?: string; domain?: string }, signal?: AbortSignal) => requestJson<SpatialCoverage>(`/api/analysis/spatial${qs(f)}`, { signal }),
  surroundings: (q: { feature?: number; lon?: number; lat?: number; radius?: number; reach?: number }, signal?: AbortSignal) =>
    requestJson<Surroundings>(`/api/analysis/surroundings${qs(q)}`, { signal }),
}
