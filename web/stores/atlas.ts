import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { answer, api, cancel } from '../api/client.js'
import { TILE_THRESHOLD } from '../api/tiles.js'
import type { FilterState } from '../api/filter-params.js'
import { filtersToQuery } from '../api/filter-params.js'
import type { Coverage, Department, FreshnessStats, Overview, ResourcePage, RiskStats, UpdateCycleStats } from '../api/types.js'
import type { AtlasFeatureCollection } from '../api/geojson.js'
import { allFeatures } from '../api/geojson.js'

const EMPTY_FC: AtlasFeatureCollection = { type: 'FeatureCollection', features: [] }

/**
 * Everything the workspace and the wall show for the current filters: statistics, map features and
 * the result table. Large payloads sit in shallowRefs: they are replaced, never mutated.
 */
export const useAtlasStore = defineStore('atlas', () => {
  const overview = shallowRef<Overview | null>(null)
  const coverage = shallowRef<Coverage | null>(null)
  const cycles = shallowRef<UpdateCycleStats | null>(null)
  const freshness = shallowRef<FreshnessStats | null>(null)
  const risk = shallowRef<RiskStats | null>(null)
  const departments = shallowRef<Department[]>([])
  const features = shallowRef<AtlasFeatureCollection>(EMPTY_FC)
  const featuresTruncated = ref(false)
  const featuresLoading = ref(false)
  const table = shallowRef<ResourcePage | null>(null)
  const tablePage = ref(1)
  const loading = ref(false)
  const error = ref<string | null>(null)
  /** When the data on screen was fetched (not when the fetch started). */
  const updatedAt = ref<Date | null>(null)

  function tablePageOf(filters: FilterState, page: number, signal?: AbortSignal) {
    return answer(api.resources.$get({ query: { ...filtersToQuery(filters), page: String(page), pageSize: '20' } }, cancel(signal)))
  }

  // Each load gets a generation; a slow answer for old filters never overwrites a newer one.
  let generation = 0
  let controller: AbortController | null = null

  async function load(filters: FilterState, options: { table?: boolean; featureCap?: number } = {}) {
    const gen = ++generation
    controller?.abort()
    controller = new AbortController()
    const signal = controller.signal
    loading.value = true
    featuresLoading.value = true
    error.value = null
    const query = filtersToQuery(filters)
    const stats = Promise.all([
      answer(api.stats.overview.$get({ query }, cancel(signal))),
      answer(api.stats.coverage.$get({ query }, cancel(signal))),
      answer(api.stats['update-cycles'].$get({ query }, cancel(signal))),
      answer(api.stats.freshness.$get({ query }, cancel(signal))),
      answer(api.stats.risk.$get({ query }, cancel(signal))),
      answer(api.departments.$get({ query }, cancel(signal))),
    ])
    // A large data set is drawn from vector tiles (AtlasMap's tileFilters): don't load it as GeoJSON.
    const feats = stats.then(([ov]) =>
      ov.features > TILE_THRESHOLD ? { collection: EMPTY_FC, truncated: false } : allFeatures(filters, { cap: options.featureCap, signal }))
    feats.catch(() => undefined)
    const rows = options.table ? tablePageOf(filters, 1, signal) : Promise.resolve(null)
    try {
      const [[ov, cov, cyc, fr, rk, deps], tbl] = await Promise.all([stats, rows])
      if (gen !== generation) return
      overview.value = ov
      coverage.value = cov
      cycles.value = cyc
      freshness.value = fr
      risk.value = rk
      departments.value = deps.items
      if (tbl) {
        table.value = tbl
        tablePage.value = 1
      }
      loading.value = false
      const f = await feats
      if (gen !== generation) return
      features.value = f.collection
      featuresTruncated.value = f.truncated
      featuresLoading.value = false
      updatedAt.value = new Date()
    } catch (e) {
      if (gen !== generation || (e as Error).name === 'AbortError') return
      error.value = (e as Error).message
      loading.value = false
      featuresLoading.value = false
    }
  }

  async function loadTablePage(filters: FilterState, page: number) {
    const gen = generation
    const tbl = await tablePageOf(filters, page)
    if (gen !== generation) return
    table.value = tbl
    tablePage.value = page
  }

  return {
    overview, coverage, cycles, freshness, risk, departments, features, featuresTruncated, featuresLoading,
    table, tablePage, loading, error, updatedAt, load, loadTablePage,
  }
})
