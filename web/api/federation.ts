import type { InferResponseType } from 'hono/client'
import type { api } from './client.js'
import type { FederationTokenInfo, HarvestJobInfo, HarvestReport, HarvestSourceInfo, HarvestStatus } from '../../server/domain/federation.js'
import { HARVEST_RECORD_KINDS, HARVEST_STATUSES } from '../../server/domain/federation.js'

/**
 * Federation as the web app sees it: a district's federation tokens, a city's harvest sources, jobs and
 * reports (server/harvest), and the city's view of its districts (server/city).
 */

export type { FederationTokenInfo, HarvestJobInfo, HarvestReport, HarvestSourceInfo, HarvestStatus }
export { HARVEST_RECORD_KINDS, HARVEST_STATUSES }
export type FederationTokenCreated = InferResponseType<(typeof api.admin)['federation-tokens']['$post']>
export type CityDistricts = InferResponseType<(typeof api.city.districts)['$get']>
export type DistrictSummary = CityDistricts['items'][number]
export type DistrictDepartments = InferResponseType<(typeof api.city.districts)[':key']['departments']['$get']>

/** The badge class of a job's status (the same colours as freshness: green, amber, red). */
export function statusTone(status: HarvestStatus | null | undefined): string {
  switch (status) {
    case 'succeeded': return 'badge--on-time'
    case 'errors': case 'awaiting-confirmation': return 'badge--due-soon'
    case 'failed': case 'declined': return 'badge--overdue'
    default: return 'badge--never'
  }
}

export function statusLabel(status: HarvestStatus | null | undefined): string {
  return HARVEST_STATUSES.find((s) => s.code === status)?.label ?? '未运行'
}

/** A duration as people read it: 850 ms, 12.4 s, 3 min 05 s. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`
}

/** A share as a percentage with one decimal, or — when there is nothing to judge. */
export function percent(rate: number | null | undefined): string {
  return rate == null || !Number.isFinite(rate) ? '—' : `${(rate * 100).toFixed(1)}%`
}
