import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { AlarmAction } from '../../server/domain/monitoring.js'
import { alarmFiltersToApiQuery, emptyAlarmFilters, type AlarmFilters } from '../api/alarm-params.js'
import { answer, api, cancel } from '../api/client.js'
import type { AlarmDetail, AlarmItem, AlarmSummary } from '../api/types.js'
import { problemText } from '../lib/alarm-labels.js'
import { useLiveStore } from './live.js'

const PAGE = 50
/** The most a refresh after a live event asks for (the server's limit), however far the user paged. */
const MAX_PAGE = 500
/** Events come in bursts (a batch of readings, a sweep): one refresh for the burst. */
const LIVE_DEBOUNCE_MS = 300

/**
 * The 告警中心: the alarms for the current filters (paged by `before`/`next`), the selected alarm with
 * its steps, the steps a user takes, and the count of open alarms the top bar shows. Live events from
 * the page's one connection (stores/live.ts) refresh what is on screen; stale answers are dropped by
 * generation counters.
 */
export const useAlarmsStore = defineStore('alarms', () => {
  const live = useLiveStore()
  const filters = shallowRef<AlarmFilters>(emptyAlarmFilters())
  const items = shallowRef<AlarmItem[]>([])
  const total = ref(0)
  const next = ref<number | null>(null)
  const loading = ref(false)
  const loadingMore = ref(false)
  const loaded = ref(false)
  const error = ref<string | null>(null)

  const selectedId = ref<number | null>(null)
  const detail = shallowRef<AlarmDetail | null>(null)
  const detailLoading = ref(false)
  const detailError = ref<string | null>(null)

  const summary = shallowRef<AlarmSummary | null>(null)

  let generation = 0
  let controller: AbortController | null = null

  /** The first page for `f`; `refresh` keeps as many rows as are shown (a live update, a retry). */
  async function load(f: AlarmFilters = filters.value, options: { refresh?: boolean } = {}) {
    const gen = ++generation
    controller?.abort()
    controller = new AbortController()
    const refresh = options.refresh && f === filters.value
    filters.value = f
    if (!refresh) loading.value = true
    loadingMore.value = false
    const limit = refresh ? Math.min(MAX_PAGE, Math.max(PAGE, items.value.length)) : PAGE
    try {
      const page = await answer(api.alarms.$get({ query: { ...alarmFiltersToApiQuery(f), limit: String(limit) } }, cancel(controller.signal)))
      if (gen !== generation) return
      items.value = page.items
      total.value = page.total
      next.value = page.next
      error.value = null
      loaded.value = true
    } catch (e) {
      if (gen !== generation) return
      error.value = problemText(e)
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  async function loadMore() {
    if (next.value === null || loadingMore.value) return
    const gen = generation
    loadingMore.value = true
    try {
      const page = await answer(api.alarms.$get({ query: { ...alarmFiltersToApiQuery(filters.value), before: String(next.value), limit: String(PAGE) } }))
      if (gen !== generation) return
      const seen = new Set(items.value.map((a) => a.id))
      items.value = [...items.value, ...page.items.filter((a) => !seen.has(a.id))]
      total.value = page.total
      next.value = page.next
      error.value = null
    } catch (e) {
      if (gen === generation) error.value = problemText(e)
    } finally {
      if (gen === generation) loadingMore.value = false
    }
  }

  let detailGeneration = 0

  /** Opens an alarm's detail (null closes it); `quiet` refreshes it without blanking it first. */
  async function select(id: number | null, options: { quiet?: boolean } = {}) {
    const gen = ++detailGeneration
    if (id !== selectedId.value) detail.value = null
    selectedId.value = id
    detailError.value = null
    if (id === null) {
      detailLoading.value = false
      return
    }
    if (!options.quiet) detailLoading.value = true
    try {
      const d = await answer(api.alarms[':id'].$get({ param: { id: String(id) } }))
      if (gen !== detailGeneration) return
      detail.value = d
    } catch (e) {
      if (gen !== detailGeneration) return
      detailError.value = problemText(e)
    } finally {
      if (gen === detailGeneration) detailLoading.value = false
    }
  }

  /** Takes a step of the loop on the selected alarm; answers the problem in words, or null when done. */
  async function act(action: AlarmAction, note: string): Promise<string | null> {
    const id = selectedId.value
    if (id === null) return '请先选择告警'
    try {
      const after = await answer(api.alarms[':id'].actions.$post({ param: { id: String(id) }, json: { action, note } }))
      detailGeneration++
      if (selectedId.value === id) {
        detail.value = after
        detailLoading.value = false
      }
      items.value = items.value.map((a) => (a.id === id ? { ...a, ...withoutSteps(after) } : a))
      // The step may take the alarm out of the current filters; the live event refreshes the count.
      void load(filters.value, { refresh: true })
      return null
    } catch (e) {
      // What the alarm is now (another user may have taken the step): show it as it is.
      void select(id, { quiet: true })
      return problemText(e)
    }
  }

  async function loadSummary() {
    try {
      summary.value = await answer(api.alarms.summary.$get())
    } catch {
      // The badge keeps its last count; the next event tries again.
    }
  }

  /**
   * Keeps the list and the open detail current while the 告警中心 is shown: a burst of alarm events
   * refreshes them once; after a gap in the stream ('reset') everything is loaded again.
   */
  function followLive(): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined
    let touched = new Set<number>()
    const refresh = () => {
      const ids = touched
      touched = new Set()
      void load(filters.value, { refresh: true })
      if (selectedId.value !== null && (ids.has(selectedId.value) || ids.has(-1))) void select(selectedId.value, { quiet: true })
    }
    const schedule = (id: number) => {
      touched.add(id)
      clearTimeout(timer)
      timer = setTimeout(refresh, LIVE_DEBOUNCE_MS)
    }
    const stops = [live.on('alarm', (e) => schedule(e.alarm.id)), live.on('reset', () => schedule(-1))]
    return () => {
      clearTimeout(timer)
      for (const stop of stops) stop()
    }
  }

  let summaryUsers = 0
  let summaryStops: (() => void)[] = []
  /** Keeps the count of open alarms current (the top bar's badge) while someone shows it. */
  function followSummary(): () => void {
    summaryUsers++
    if (summaryUsers === 1) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const schedule = () => {
        clearTimeout(timer)
        timer = setTimeout(() => void loadSummary(), LIVE_DEBOUNCE_MS)
      }
      summaryStops = [live.on('alarm', schedule), live.on('reset', schedule), () => clearTimeout(timer)]
      void loadSummary()
    }
    let stopped = false
    return () => {
      if (stopped) return
      stopped = true
      summaryUsers--
      if (summaryUsers === 0) {
        for (const stop of summaryStops) stop()
        summaryStops = []
      }
    }
  }

  return {
    filters, items, total, next, loading, loadingMore, loaded, error, selectedId, detail, detailLoading, detailError, summary,
    load, loadMore, select, act, loadSummary, followLive, followSummary,
  }
})

function withoutSteps<T extends { steps: unknown }>(d: T): Omit<T, 'steps'> {
  const { steps: _steps, ...rest } = d
  return rest
}
