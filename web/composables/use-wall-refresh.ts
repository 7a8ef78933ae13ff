import { computed, onBeforeUnmount, onMounted, ref, watch } from 'vue'
import type { Ref } from 'vue'
import { afterRead, isStale, retryDelayMs, staleText } from '../lib/wall-health.js'
import type { WallHealth } from '../lib/wall-health.js'
import { useLiveStore } from '../stores/live.js'

/**
 * Keeps the wall's data current and heals it after the server or the network dropped: `read` reads
 * everything and answers whether it all came (panels keep their last data when it did not). It runs
 * on demand, every `refreshSeconds`, shortly after a data-version event, at once when the live
 * connection drops (to find out whether the server is gone) and when it is back; after a failure it
 * tries again after 2 s, 4 s, 8 s … at most a minute — so the wall refreshes without a reload.
 */
export function useWallRefresh(read: () => Promise<boolean>, refreshSeconds: Ref<number>) {
  const live = useLiveStore()
  const health = ref<WallHealth>({ lastOkAt: null, failures: 0 })
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<void> | null = null
  let again = false
  let stopped = false

  function schedule() {
    clearTimeout(timer)
    if (stopped) return
    const ms = isStale(health.value) ? retryDelayMs(health.value.failures) : refreshSeconds.value * 1000
    timer = setTimeout(() => void run(), ms)
  }

  /** Reads now; a call while a read is under way reads once more after it (never two at a time). */
  async function run(): Promise<void> {
    if (running) {
      again = true
      return running
    }
    clearTimeout(timer)
    running = (async () => {
      const ok = await read().catch(() => false)
      health.value = afterRead(health.value, ok, new Date())
    })()
    await running
    running = null
    if (again && !stopped) {
      again = false
      return run()
    }
    schedule()
  }

  let soon: ReturnType<typeof setTimeout> | undefined
  /** Once for a burst of changes. */
  function runSoon(ms: number) {
    clearTimeout(soon)
    soon = setTimeout(() => void run(), ms)
  }

  const stops: (() => void)[] = []
  onMounted(() => {
    // The data changed (an import, an update, a harvest).
    stops.push(live.on('data-version', () => runSoon(1000)))
  })
  // Dropped: is the server still there? Back: read everything again (what changed meanwhile was missed).
  watch(() => live.status, (now, before) => {
    if (now === 'reconnecting' && before === 'open') runSoon(300)
    else if (now === 'open' && before === 'reconnecting') runSoon(300)
  })
  watch(refreshSeconds, () => {
    if (!running) schedule()
  })
  onBeforeUnmount(() => {
    stopped = true
    clearTimeout(timer)
    clearTimeout(soon)
    for (const s of stops) s()
  })

  const stale = computed(() => isStale(health.value))
  const text = computed(() => staleText(health.value))
  return { health, stale, staleText: text, run }
}
