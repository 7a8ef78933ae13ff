import maplibregl from 'maplibre-gl'
import type { Map as MlMap } from 'maplibre-gl'
import { watch, type Ref, type ShallowRef } from 'vue'
import { ALARM_LEVELS, severity } from '../../../server/domain/monitoring.js'
import type { MapAlarm } from '../../map/map-alarm.js'

const LEVELS = new Map(ALARM_LEVELS.map((l) => [l.code, l]))

/**
 * Open alarms as pulsing HTML markers above every layer (a red alarm never hides under a cluster),
 * the most severe on top; a click opens the point's popup. Markers are kept by alarm id, so an update
 * moves or recolours one instead of redrawing all.
 */
export function useAlarmMarkers(map: ShallowRef<MlMap | null>, alarms: Ref<readonly MapAlarm[] | null>, open: (featureId: number, at: [number, number]) => void) {
  const markers = new Map<number, { marker: maplibregl.Marker; el: HTMLElement }>()

  function sync() {
    const m = map.value
    const list = alarms.value ?? []
    if (!m) return
    const keep = new Set(list.map((a) => a.id))
    for (const [id, k] of markers) {
      if (!keep.has(id)) {
        k.marker.remove()
        markers.delete(id)
      }
    }
    for (const a of list) {
      let k = markers.get(a.id)
      if (!k) {
        const el = document.createElement('div')
        el.setAttribute('role', 'button')
        el.addEventListener('click', (e) => {
          e.stopPropagation()
          const cur = alarms.value?.find((x) => x.id === a.id)
          if (cur) open(cur.featureId, [cur.x, cur.y])
        })
        el.append(document.createElement('i'))
        k = { el, marker: new maplibregl.Marker({ element: el }).setLngLat([a.x, a.y]).addTo(m) }
        markers.set(a.id, k)
      }
      k.marker.setLngLat([a.x, a.y])
      k.el.className = `atlas-alarm-marker atlas-alarm-marker--${a.level}${a.fresh ? ' atlas-alarm-marker--fresh' : ''}`
      k.el.style.setProperty('--c', LEVELS.get(a.level)?.color ?? '#e02020')
      k.el.style.zIndex = String(10 + severity(a.level))
      k.el.title = `${LEVELS.get(a.level)?.label ?? ''}告警：${a.pointName}`
      k.el.dataset.alarmId = String(a.id)
      k.el.setAttribute('aria-label', k.el.title)
    }
  }

  watch([map, alarms], sync, { deep: false })
  return {
    dispose() {
      for (const k of markers.values()) k.marker.remove()
      markers.clear()
    },
  }
}
