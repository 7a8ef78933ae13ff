import { onBeforeUnmount, ref, watch } from 'vue'
import type { Ref } from 'vue'
import type { AtlasFeatureCollection } from '../api/geojson.js'
import { redRiskStops } from '../map/feature-data.js'
import type { TourStop } from '../map/feature-data.js'

/** Where the tour is: the stop on screen, its place in the round and how many there are. */
export interface TourPosition extends TourStop {
  index: number
  total: number
}

/**
 * The wall's optional auto-tour: flies to each red risk point in turn (all of them, the top N, or one
 * department's), then back to the whole district, and starts over with whatever the latest refresh
 * returned. `current` is the stop on screen, for the map's marker and the banner.
 */
export function useRiskTour(
  enabled: Ref<boolean>,
  features: Ref<AtlasFeatureCollection>,
  limits: Ref<{ top: number | null; department: number | null }>,
  fly: (center: [number, number]) => void,
  reset: () => void,
  intervalMs: Ref<number>,
) {
  const current = ref<TourPosition | null>(null)
  let timer: ReturnType<typeof setInterval> | undefined
  let index = -1

  function step() {
    const stops = redRiskStops(features.value, limits.value)
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
    const stop = stops[index]!
    current.value = { ...stop, index: index + 1, total: stops.length }
    fly(stop.center)
  }

  function stop() {
    clearInterval(timer)
    timer = undefined
    current.value = null
  }

  watch(
    [enabled, intervalMs, () => limits.value.top, () => limits.value.department],
    ([on]) => {
      stop()
      index = -1
      if (on) timer = setInterval(step, intervalMs.value)
    },
    { immediate: true },
  )
  onBeforeUnmount(stop)
  return { current }
}
