import { onActivated, onDeactivated, ref } from 'vue'
import { createPanelData } from '../../lib/panel-data.js'

/**
 * Runs one analysis request and hands its answer to the tab (`apply`), or null when it failed: the
 * message is then on the view's error line, with 重试, which runs the request again and hands its
 * answer over as well.
 */
export type AnalysisRun = <T>(request: () => Promise<T>, apply: (value: T | null) => void) => Promise<void>

/**
 * The request state the analysis view shares with its tabs: one panel (lib/panel-data.ts) behind the
 * "loading" flag in the header and the error line under it with 重试, whichever tab asked. Each request
 * clears the previous error.
 */
export function useAnalysisRequests() {
  const panel = createPanelData<true>()
  let asked = 0
  const run: AnalysisRun = (request, apply) => panel.load(String(++asked), async () => {
    try {
      apply(await request())
      return true
    } catch (e) {
      apply(null)
      throw e
    }
  })
  return { panel, run }
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
