import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import type { MapTheme } from '../map/map-theme.js'

/** Where the basemap comes from: the embedded offline one, or what an administrator configured. */
export interface BasemapSetting {
  type: 'embedded' | 'style' | 'raster'
  /** A MapLibre style URL (type style) or an XYZ raster template with {z}/{x}/{y} (type raster). */
  url: string
}

const STORAGE_KEY = 'atlas.settings.v1'

interface Persisted {
  theme: MapTheme
  basemap: BasemapSetting
}

function readPersisted(): Persisted {
  const fallback: Persisted = { theme: 'light', basemap: { type: 'embedded', url: '' } }
  try {
    const raw = localStorage.getItem(STORAGE_KEY)
    if (!raw) return fallback
    const p = JSON.parse(raw) as Partial<Persisted>
    return {
      theme: p.theme === 'dark' ? 'dark' : 'light',
      basemap: p.basemap && ['embedded', 'style', 'raster'].includes(p.basemap.type) ? { type: p.basemap.type, url: String(p.basemap.url ?? '') } : fallback.basemap,
    }
  } catch {
    return fallback
  }
}

/** Desktop theme and basemap source, kept in this browser's local storage. */
export const useSettingsStore = defineStore('settings', () => {
  const initial = readPersisted()
  const theme = ref<MapTheme>(initial.theme)
  const basemap = ref<BasemapSetting>(initial.basemap)

  watch([theme, basemap], () => {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ theme: theme.value, basemap: basemap.value }))
    } catch {
      // Private mode or full storage: the setting lasts for this page only.
    }
  }, { deep: true })

  function toggleTheme() {
    theme.value = theme.value === 'dark' ? 'light' : 'dark'
  }

  return { theme, basemap, toggleTheme }
})
