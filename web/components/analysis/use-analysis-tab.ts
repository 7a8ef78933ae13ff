import { onActivated, onDeactivated, ref } from 'vue'

/** Runs one analysis request: null when it failed (the message is then on the view's error line). */
export type AnalysisRun = <T>(request: () => Promise<T>) => Promise<T | null>

/**
 * The request state the analysis view shares with its tabs: one "loading" flag in the header and
 * one error line under it, whichever tab asked. Each request clears the previous error.
 */
export function useAnalysisRequests() {
  const loading = ref(false)
  const error = ref<string | null>(null)
  const run: AnalysisRun = async (request) => {
    loading.value = true
    error.value = null
    try {
      return await request()
    } catch (e) {
      error.value = (e as Error).message
      return null
    } finally {
      loading.value = false
    }
  }
  return { loading, error, run }
}

/**
 * A tab of the analysis view. The view keeps its tabs alive while the user switches between them, so
 * answers already fetched and the choices made stay; `onShow` runs each time the tab is shown (the
 * first time too). `shown` is false while the tab is hidden: a map is drawn only while its tab is
 * shown, so a hidden tab holds no WebGL context and each visit frames the map afresh.
 */
export function useAnalysisTab(onShow: () => void) {
  const shown = ref(true)
  onActivated(() => {
    shown.value = true
    onShow()
  })
  onDeactivated(() => {
    shown.value = false
  })
  return { shown }
}
