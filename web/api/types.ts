import type { InferResponseType } from 'hono/client'
import type { FeatureProperties, Provenance } from '../../server/domain/types.js'
import type { routes } from './client.js'
import type { AtlasFeature, AtlasFeatureCollection } from './geojson.js'

/**
 * Answers of the API, inferred from the server's routes (see routes in client.ts): they change with
 * the server, and a client that reads a field the server no longer sends does not compile. Only the
 * GeoJSON answers, which the server writes as text, are described here by hand.
 */

export type Bbox = [number, number, number, number]

export type MetaResponse = InferResponseType<typeof routes.meta.$get>
export type DepartmentDetail = InferResponseType<(typeof routes.departments)[':id']['$get']>
export type SystemDetail = InferResponseType<(typeof routes.systems)[':id']['$get']>
export type ResourceDetail = InferResponseType<(typeof routes.resources)[':id']['$get']>
export type SearchResult = InferResponseType<typeof routes.search.$get>['results'][number]
export type Overview = InferResponseType<typeof routes.stats.overview.$get>
export type Coverage = InferResponseType<typeof routes.stats.coverage.$get>
export type UpdateCycleStats = InferResponseType<(typeof routes.stats)['update-cycles']['$get']>
export type FreshnessStats = InferResponseType<typeof routes.stats.freshness.$get>
export type RiskStats = InferResponseType<typeof routes.stats.risk.$get>
export type ReportingStats = InferResponseType<typeof routes.stats.reporting.$get>
export type Department = InferResponseType<typeof routes.departments.$get>['items'][number]
export type InfoSystem = InferResponseType<typeof routes.systems.$get>['items'][number]
export type DataResource = InferResponseType<typeof routes.resources.$get>['items'][number]
export type DataItem = ResourceDetail['items'][number]
export type ResourceUpdate = ResourceDetail['updates'][number]
export type Domain = MetaResponse['domains'][number]
export type DepartmentReport = ReportingStats['departments'][number]

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

export type { Page } from '../../server/domain/types.js'
