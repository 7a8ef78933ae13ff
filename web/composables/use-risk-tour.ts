import { onBeforeUnmount, ref, watch } from 'vue'
import type { Ref } from 'vue'
import type { AtlasFeatureCollection } from '../api/geojson.js'
import { redRiskStops } from '../map/feature-data.js'

/**
 * The wall's optional auto-tour: flies to each red risk point in turn, then back to the whole
 * district, and starts over with whatever the latest refresh returned.
 */
export function useRiskTour(
  enabled: Ref<boolean>,
  features: Ref<AtlasFeatureCollection>,
  fly: (center: [number, number]) => void,
  reset: () => void,
  intervalMs: number,
) {
  const current = ref<{ index: number; total: number; name: string } | null>(null)
  let timer: ReturnType<typeof setInterval> | undefined
  let index = -1

  function step() {
    const stops = redRiskStops(features.value)
    if (stops.length === 0) {
      current.value = null
      return
    }
    index += 1
    if (index >= stops.length) {
      index = -1
      current.value = null
      reset()
      return
    }
    const stop = stops[index]
    current.value = { index: index + 1, total: stops.length, name: stop.name }
    fly(stop.center)
  }

  function stop() {
    clearInterval(timer)
    timer = undefined
    current.value = null
  }

  watch(
    enabled,
    (on) => {
      stop()
      if (on) timer = setInterval(step, intervalMs)
    },
    { immediate: true },
  )
  onBeforeUnmount(stop)
  return { current }
}
