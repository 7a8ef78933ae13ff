import maplibregl from 'maplibre-gl'
import type { Map as MlMap } from 'maplibre-gl'
import { watch, type Ref, type ShallowRef } from 'vue'

/** What the wall's tour is showing: a place and its name. */
export interface MapHighlight {
  center: [number, number]
  name: string
  /** A short tag above the name, e.g. 重大风险 3/10. */
  tag?: string
}

/**
 * The tour's target on the map: a pulsing ring on the point with its name beside it (an HTML marker,
 * above every layer, that never takes the pointer). One marker, moved from stop to stop.
 */
export function useTourMarker(map: ShallowRef<MlMap | null>, highlight: Ref<MapHighlight | null | undefined>) {
  let marker: maplibregl.Marker | null = null
  let el: HTMLElement | null = null

  function sync() {
    const m = map.value
    const h = highlight.value
    if (!m || !h) {
      marker?.remove()
      marker = null
      return
    }
    if (!el) {
      el = document.createElement('div')
      el.className = 'atlas-tour-marker'
      el.dataset.testid = 'tour-marker'
      el.innerHTML = '<i class="atlas-tour-marker__pulse"></i><i class="atlas-tour-marker__ring"></i><span class="atlas-tour-marker__label"><b class="atlas-tour-marker__tag"></b><span class="atlas-tour-marker__name"></span></span>'
    }
    // Names are data: text, never markup.
    el.querySelector('.atlas-tour-marker__name')!.textContent = h.name
    const tag = el.querySelector<HTMLElement>('.atlas-tour-marker__tag')!
    tag.textContent = h.tag ?? ''
    tag.hidden = !h.tag
    el.setAttribute('aria-label', `${h.tag ?? ''} ${h.name}`.trim())
    el.dataset.lng = String(h.center[0])
    el.dataset.lat = String(h.center[1])
    if (!marker) {
      marker = new maplibregl.Marker({ element: el }).setLngLat(h.center).addTo(m)
      // A mark to look at, not a control.
      el.setAttribute('role', 'img')
    } else {
      marker.setLngLat(h.center)
    }
  }

  watch([map, highlight], sync, { deep: true })
  return {
    dispose() {
      marker?.remove()
      marker = null
    },
  }
}
