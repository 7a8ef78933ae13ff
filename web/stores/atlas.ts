import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { answer, api, cancel } from '../api/client.js'
import { TILE_THRESHOLD } from '../api/tiles.js'
import type { FilterState } from '../api/filter-params.js'
import { filtersToQuery } from '../api/filter-params.js'
import type { Coverage, Department, FreshnessStats, Overview, ResourcePage, RiskStats, UpdateCycleStats } from '../api/types.js'
import type { AtlasFeatureCollection } from '../api/geojson.js'
import { allFeatures } from '../api/geojson.js'
import { createPanelData } from '../lib/panel-data.js'

const EMPTY_FC: AtlasFeatureCollection = { type: 'FeatureCollection', features: [] }

/** The map's features for a filter: drawn from GeoJSON, or none when the map draws vector tiles. */
interface FeatureAnswer { collection: AtlasFeatureCollection; truncated: boolean }
/** One page of the result table. */
interface TableAnswer { page: number; rows: ResourcePage }

/**
 * Everything the workspace and the wall show for the current filters: statistics, map features and
 * the result table. Each request is a panel of its own (lib/panel-data.ts): it loads, fails and is
 * retried on its own, keeps its last good answer with its time, and never shows a figure for data that
 * did not load. Large payloads sit in shallowRefs: they are replaced, never mutated.
 */
export const useAtlasStore = defineStore('atlas', () => {
  const panels = {
    overview: createPanelData<Overview>(),
    coverage: createPanelData<Coverage>({ isEmpty: (c) => c.domains.every((d) => d.subcategories.every((s) => s.resources === 0)) }),
    cycles: createPanelData<UpdateCycleStats>({ isEmpty: (c) => c.cycles.every((x) => x.resources === 0) }),
    freshness: createPanelData<FreshnessStats>({ isEmpty: (f) => Object.values(f.totals).every((n) => !n) }),
    risk: createPanelData<RiskStats>({ isEmpty: (r) => r.byKind.every((k) => k.red + k.orange + k.yellow + k.blue === 0) }),
    departments: createPanelData<{ items: Department[] }>({ isEmpty: (d) => d.items.length === 0 }),
    features: createPanelData<FeatureAnswer>(),
    table: createPanelData<TableAnswer>({ isEmpty: (t) => t.rows.total === 0 }),
  }
  const stats = [panels.overview, panels.coverage, panels.cycles, panels.freshness, panels.risk, panels.departments]

  // The last good answers, whatever filters they were for (the wall keeps showing them while it retries).
  const overview = computed(() => panels.overview.data.value)
  const coverage = computed(() => panels.coverage.data.value)
  const cycles = computed(() => panels.cycles.data.value)
  const freshness = computed(() => panels.freshness.data.value)
  const risk = computed(() => panels.risk.data.value)
  const departments = computed(() => panels.departments.data.value?.items ?? [])
  const features = computed(() => panels.features.data.value?.collection ?? EMPTY_FC)
  const featuresTruncated = computed(() => panels.features.data.value?.truncated ?? false)
  const featuresLoading = computed(() => panels.features.status.value === 'loading' || panels.features.refreshing.value)
  const table = computed(() => panels.table.data.value?.rows ?? null)
  const tablePage = computed(() => panels.table.data.value?.page ?? 1)
  const loading = computed(() => stats.some((p) => p.status.value === 'loading' || p.refreshing.value))
  /** The first request of the last load that failed (statistics or map features), in Chinese. */
  const error = computed(() => [...stats, panels.features].map((p) => p.error.value).find((e) => e !== null) ?? null)
  /** When the data on screen was fetched (not when the fetch started): the last load that fully succeeded. */
  const updatedAt = ref<Date | null>(null)

  let current: { key: string; filters: FilterState } | null = null
  const tablePageOf = (filters: FilterState, page: number) => async (signal: AbortSignal): Promise<TableAnswer> =>
    ({ page, rows: await answer(api.resources.$get({ query: { ...filtersToQuery(filters), page: String(page), pageSize: '20' } }, cancel(signal))) })

  async function load(filters: FilterState, options: { table?: boolean; featureCap?: number } = {}) {
    const query = filtersToQuery(filters)
    const key = JSON.stringify(query)
    current = { key, filters }
    // The map needs the overview's feature count: it waits for the overview's answer instead of asking again.
    const overviewAnswer = { promise: null as Promise<Overview> | null }
    const loads = [
      panels.overview.load(key, (signal) => (overviewAnswer.promise = answer(api.stats.overview.$get({ query }, cancel(signal))))),
      panels.coverage.load(key, (signal) => answer(api.stats.coverage.$get({ query }, cancel(signal)))),
      panels.cycles.load(key, (signal) => answer(api.stats['update-cycles'].$get({ query }, cancel(signal)))),
      panels.freshness.load(key, (signal) => answer(api.stats.freshness.$get({ query }, cancel(signal)))),
      panels.risk.load(key, (signal) => answer(api.stats.risk.$get({ query }, cancel(signal)))),
      panels.departments.load(key, (signal) => answer(api.departments.$get({ query }, cancel(signal)))),
      // A large data set is drawn from vector tiles (AtlasMap's tileFilters): it is not loaded as GeoJSON.
      // The feature count comes with the overview; a retry of the map alone asks for it again.
      panels.features.load(key, async (signal) => {
        const pending = overviewAnswer.promise
        overviewAnswer.promise = null
        const ov = await (pending ?? answer(api.stats.overview.$get({ query }, cancel(signal))))
        return ov.features > TILE_THRESHOLD ? { collection: EMPTY_FC, truncated: false } : allFeatures(filters, { cap: options.featureCap, signal })
      }),
      ...(options.table ? [panels.table.load(key, tablePageOf(filters, 1))] : []),
    ]
    await Promise.all(loads)
    if (current?.key === key && stats.every((p) => p.error.value === null) && panels.features.error.value === null) updatedAt.value = new Date()
  }

  /** Another page of the result table, for the filters loaded last. */
  async function loadTablePage(filters: FilterState, page: number) {
    await panels.table.load(current?.key ?? JSON.stringify(filtersToQuery(filters)), tablePageOf(filters, page))
  }

  return {
    panels, overview, coverage, cycles, freshness, risk, departments, features, featuresTruncated, featuresLoading,
    table, tablePage, loading, error, updatedAt, load, loadTablePage,
  }
})
