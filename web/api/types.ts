import type { InferResponseType } from 'hono/client'
import type { api } from './client.js'

/**
 * Answers of the API, inferred from the server's routes (see api in client.ts): they change with the
 * server, and a client that reads a field the server no longer sends does not compile. The GeoJSON
 * answers, which the server writes as text, are described in geojson.ts; the access API's in auth.ts.
 */

export type MetaResponse = InferResponseType<typeof api.meta.$get>
export type DepartmentDetail = InferResponseType<(typeof api.departments)[':id']['$get']>
export type SystemDetail = InferResponseType<(typeof api.systems)[':id']['$get']>
export type ResourceDetail = InferResponseType<(typeof api.resources)[':id']['$get']>
export type SearchResult = InferResponseType<typeof api.search.$get>['results'][number]
export type Department = InferResponseType<typeof api.departments.$get>['items'][number]
export type InfoSystem = InferResponseType<typeof api.systems.$get>['items'][number]
export type ResourcePage = InferResponseType<typeof api.resources.$get>
export type DataResource = ResourcePage['items'][number]
export type DataItem = ResourceDetail['items'][number]

export type Overview = InferResponseType<typeof api.stats.overview.$get>
export type Coverage = InferResponseType<typeof api.stats.coverage.$get>
export type UpdateCycleStats = InferResponseType<(typeof api.stats)['update-cycles']['$get']>
export type FreshnessStats = InferResponseType<typeof api.stats.freshness.$get>
export type RiskStats = InferResponseType<typeof api.stats.risk.$get>
export type ReportingStats = InferResponseType<typeof api.stats.reporting.$get>

/** The analyses (server/analysis). */
export type CoverageMatrix = InferResponseType<typeof api.analysis.coverage.$get>
export type Conflicts = InferResponseType<typeof api.analysis.conflicts.$get>
export type SharingGaps = InferResponseType<typeof api.analysis.sharing.$get>
export type SpatialCoverage = InferResponseType<typeof api.analysis.spatial.$get>
export type Surroundings = InferResponseType<typeof api.analysis.surroundings.$get>

/** Supervision of the update cycles (server/supervision) and the systems' ingest keys (server/ingest). */
export type SupervisionFreshness = InferResponseType<typeof api.supervision.freshness.$get>
export type ApiKeyInfo = InferResponseType<(typeof api.systems)[':id']['api-keys']['$get']>['items'][number]

/** Monitoring and the alarm loop (server/monitoring). */
export type AlarmPage = InferResponseType<typeof api.alarms.$get>
export type AlarmItem = AlarmPage['items'][number]
export type AlarmDetail = InferResponseType<(typeof api.alarms)[':id']['$get']>
export type AlarmSummary = InferResponseType<typeof api.alarms.summary.$get>
export type AlarmRuleItem = InferResponseType<typeof api.monitoring.rules.$get>['items'][number]
export type SlaSettings = InferResponseType<typeof api.monitoring.sla.$get>

/** Risk grading many at a time (server/grading): the category level, re-assessment supervision and the 风险评估导入表. */
export type RiskCategories = InferResponseType<typeof api.risk.categories.$get>
export type RiskCategory = RiskCategories['items'][number]
export type Reassessment = InferResponseType<typeof api.risk.reassessment.$get>
export type AssessmentImportSummary = InferResponseType<typeof api.risk.assessments.preview.$post>
export type AssessmentProblem = AssessmentImportSummary['problems'][number]
