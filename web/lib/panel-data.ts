import { computed, getCurrentScope, onScopeDispose, ref, shallowRef, watch } from 'vue'
import type { ComputedRef, Ref, ShallowRef, WatchSource } from 'vue'
import { userMessage } from './user-message.js'

/**
 * What a panel shows: `loading` (nothing to show yet), `ready`, `empty` (the answer holds nothing),
 * `error` (no data for what was asked: no figure is shown, only the message and 重试) or `stale` (the
 * same question was answered before, the refresh failed: the last good data stays, with its time).
 */
export type PanelStatus = 'loading' | 'ready' | 'empty' | 'error' | 'stale'

/**
 * The status from the facts (a pure function, unit-tested). `fresh`: the data on hand answers the
 * question asked now (the same key); data for another key is shown only while its successor loads.
 */
export function panelStatus(f: { inFlight: boolean; hasData: boolean; fresh: boolean; failed: boolean; empty: boolean }): PanelStatus {
  if (f.failed) {
    if (f.hasData && f.fresh) return 'stale'
    return f.inFlight ? 'loading' : 'error'
  }
  if (f.hasData) return f.empty ? 'empty' : 'ready'
  return 'loading'
}

/** One panel's data and how it stands: what PanelState draws and what the panel's figures read. */
export interface PanelData<T> {
  status: ComputedRef<PanelStatus>
  /** The last good answer (possibly for an earlier key: see `shown`). */
  data: ShallowRef<T | null>
  /** The data a panel may show now: null while loading and on error, so no figure stands for data that did not load. */
  shown: ComputedRef<T | null>
  /** Why the last request failed, in Chinese; null after a success. */
  error: Ref<string | null>
  /** When the data on hand arrived. */
  updatedAt: Ref<Date | null>
  /** A request is under way (the panel may still show data meanwhile). */
  refreshing: ComputedRef<boolean>
  /** Asks again what was asked last. */
  retry: () => Promise<void>
  /**
   * Asks for the data of `key` with `fetch`; an answer to an older request is dropped, and the older
   * request is cancelled. Resolves when this request is settled (never rejects).
   */
  load: (key: string, fetch: (signal: AbortSignal) => Promise<T>) => Promise<void>
  /** Cancels what is under way (a view that goes away). */
  cancel: () => void
}

export interface PanelOptions<T> {
  /** Whether an answer holds nothing to show (the panel then says so instead of drawing an empty chart). */
  isEmpty?: (data: T) => boolean
}

/**
 * A panel's data, fetched on demand: the one mechanism behind every panel's loading, empty, error and
 * stale states. Free of component lifecycles, so a Pinia store can hold it (usePanelData ties one to
 * a component). Stale answers are dropped by a generation counter and cancelled by an AbortController.
 */
export function createPanelData<T>(options: PanelOptions<T> = {}): PanelData<T> {
  const data = shallowRef<T | null>(null)
  const dataKey = ref<string | null>(null)
  const key = ref<string | null>(null)
  const error = ref<string | null>(null)
  const updatedAt = ref<Date | null>(null)
  const inFlight = ref(false)
  let last: ((signal: AbortSignal) => Promise<T>) | null = null
  let generation = 0
  let controller: AbortController | null = null

  const status = computed(() => panelStatus({
    inFlight: inFlight.value,
    hasData: data.value !== null,
    fresh: data.value !== null && dataKey.value === key.value,
    failed: error.value !== null,
    empty: data.value !== null && (options.isEmpty?.(data.value) ?? false),
  }))
  const shown = computed(() => (status.value === 'loading' || status.value === 'error' ? null : data.value))
  const refreshing = computed(() => inFlight.value && status.value !== 'loading')

  async function load(nextKey: string, fetch: (signal: AbortSignal) => Promise<T>): Promise<void> {
    const gen = ++generation
    controller?.abort()
    const own = new AbortController()
    controller = own
    // A new question forgets the failure of the old one; asking the same again keeps it until answered.
    if (nextKey !== key.value) error.value = null
    key.value = nextKey
    last = fetch
    inFlight.value = true
    try {
      const answer = await fetch(own.signal)
      if (gen !== generation) return
      data.value = answer
      dataKey.value = nextKey
      updatedAt.value = new Date()
      error.value = null
    } catch (e) {
      if (gen !== generation || (e as Error)?.name === 'AbortError') return
      error.value = userMessage(e)
    } finally {
      if (gen === generation) {
        inFlight.value = false
        controller = null
      }
    }
  }

  return {
    status, data, shown, error, updatedAt, refreshing, load,
    retry: () => (key.value !== null && last ? load(key.value, last) : Promise.resolve()),
    cancel: () => {
      generation++
      controller?.abort()
      controller = null
      inFlight.value = false
    },
  }
}

/**
 * A component's panel: fetches at once and whenever `key` changes (a fixed key: once), nothing while
 * the key is null; cancelled when the component goes away.
 */
export function usePanelData<T>(key: WatchSource<string | null> | string, fetch: (signal: AbortSignal) => Promise<T>, options: PanelOptions<T> = {}): PanelData<T> {
  const panel = createPanelData<T>(options)
  if (typeof key === 'string') void panel.load(key, fetch)
  else watch(key, (k) => { if (k !== null) void panel.load(k, fetch) }, { immediate: true })
  if (getCurrentScope()) onScopeDispose(panel.cancel)
  return panel
}
