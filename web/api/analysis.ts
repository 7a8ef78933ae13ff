import type { InferResponseType } from 'hono/client'
import { answer, cancel, query, routes } from './client.js'

/** The analyses (server/analysis): calls and answers, typed by the server's routes. */

const analysis = routes.analysis

export type CoverageMatrix = InferResponseType<typeof analysis.coverage.$get>
export type Conflicts = InferResponseType<typeof analysis.conflicts.$get>
export type SharingGaps = InferResponseType<typeof analysis.sharing.$get>
export type SpatialCoverage = InferResponseType<typeof analysis.spatial.$get>
export type Surroundings = InferResponseType<typeof analysis.surroundings.$get>

export const analysisApi = {
  coverage: (signal?: AbortSignal) => answer(analysis.coverage.$get({ query: {} }, cancel(signal))),
  conflicts: (scope: 'subcategory' | 'all', signal?: AbortSignal) => answer(analysis.conflicts.$get({ query: { scope } }, cancel(signal))),
  sharing: (signal?: AbortSignal) => answer(analysis.sharing.$get({ query: {} }, cancel(signal))),
  spatial: (f: { kind?: string; domain?: string }, signal?: AbortSignal) => answer(analysis.spatial.$get({ query: query(undefined, f) }, cancel(signal))),
  surroundings: (q: { feature?: number; lon?: number; lat?: number; radius?: number; reach?: number }, signal?: AbortSignal) =>
    answer(analysis.surroundings.$get({ query: query(undefined, q) }, cancel(signal))),
}
