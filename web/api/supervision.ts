import type { FreshnessStatus } from '../../server/domain/enums.js'
import type { SupervisedResource } from '../../server/domain/types.js'
import { request } from './client.js'
import type { RequestOptions } from './client.js'

/** Typed calls of the supervision and ingest-key APIs (the shapes server/supervision and server/ingest serve). */

export type { SupervisedResource }

export interface DepartmentScorecard {
  departmentId: number
  name: string
  counts: Record<FreshnessStatus, number>
  onTimeRate: number | null
  rank: number | null
  resources: number
  overdue: SupervisedResource[]
  never: SupervisedResource[]
}

export interface SupervisionFreshness {
  generatedAt: string
  resources: SupervisedResource[]
  totals: Record<FreshnessStatus, number>
  departments: DepartmentScorecard[]
  trend: { months: string[]; departments: { departmentId: number; name: string; rates: (number | null)[] }[]; overall: (number | null)[] }
}

export interface ApiKeyInfo {
  id: number
  systemId: number
  prefix: string
  label: string
  createdAt: string
  revokedAt: string | null
  lastUsedAt: string | null
}

/** JSON over client.ts's request (CSRF header on POST, sign-in redirect); kept for the analysis calls. */
export function requestJson<T>(path: string, init: RequestOptions = {}): Promise<T> {
  return request<T>(path, init)
}

export const supervisionApi = {
  freshness: (signal?: AbortSignal) => requestJson<SupervisionFreshness>('/api/supervision/freshness', { signal }),
  /** Link of the 督办清单 download for one department (or all). */
  chaseListUrl: (departmentId?: number) => `/api/supervision/chase-list.xlsx${departmentId ? `?department=${departmentId}` : ''}`,
  apiKeys: (systemId: number | string) => requestJson<{ items: ApiKeyInfo[] }>(`/api/systems/${encodeURIComponent(systemId)}/api-keys`),
  issueKey: (systemId: number | string, label: string) =>
    requestJson<ApiKeyInfo & { key: string }>(`/api/systems/${encodeURIComponent(systemId)}/api-keys`, { method: 'POST', body: { label } }),
  revokeKey: (systemId: number | string, keyId: number) =>
    requestJson<ApiKeyInfo>(`/api/systems/${encodeURIComponent(systemId)}/api-keys/${keyId}/revoke`, { method: 'POST' }),
}
