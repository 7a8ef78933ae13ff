import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { answer, api } from '../api/client.js'
import type { MapTheme } from '../map/map-theme.js'
import type { PmtilesBasemap } from '../map/pmtiles-basemap.js'
import type { BasemapFileFacts, BasemapType } from '../lib/basemap.js'

/**
 * The basemap every map uses, as the server keeps it (an administrator chooses it in 底图设置): the
 * embedded offline one, an uploaded PMTiles file, a MapLibre style URL or an XYZ raster template.
 */
export interface BasemapSetting {
  type: BasemapType
  /** The style URL, the raster template, or the PMTiles file's address on this server. */
  url: string
  file: (BasemapFileFacts & Omit<PmtilesBasemap, 'url'> & { center: [number, number]; centerZoom: number; addressedTiles: number }) | null
}

const STORAGE_KEY = 'atlas.settings.v1'
export const EMBEDDED_BASEMAP: BasemapSetting = { type: 'embedded', url: '', file: null }

/** This browser's local storage (none in unit tests under Node). */
const storage = () => (globalThis as { localStorage?: { getItem(k: string): string | null; setItem(k: string, v: string): void } }).localStorage

function readTheme(): MapTheme {
  try {
    const raw = storage()?.getItem(STORAGE_KEY)
    return raw && (JSON.parse(raw) as { theme?: string }).theme === 'dark' ? 'dark' : 'light'
  } catch {
    return 'light'
  }
}

/** The PMTiles basemap a setting names, for the map's style; null for any other kind. */
export function pmtilesOf(b: BasemapSetting): PmtilesBasemap | null {
  return b.type === 'pmtiles' && b.file ? { url: b.url, tileType: b.file.tileType, minZoom: b.file.minZoom, maxZoom: b.file.maxZoom, bounds: b.file.bounds } : null
}

/** The desktop theme (this browser's choice, kept in local storage) and the basemap (the server's). */
export const useSettingsStore = defineStore('settings', () => {
  const theme = ref<MapTheme>(readTheme())
  const basemap = ref<BasemapSetting>(EMBEDDED_BASEMAP)
  let loading: Promise<void> | null = null

  watch(theme, () => {
    try {
      storage()?.setItem(STORAGE_KEY, JSON.stringify({ theme: theme.value }))
    } catch {
      // Private mode or full storage: the setting lasts for this page only.
    }
  })

  function toggleTheme() {
    theme.value = theme.value === 'dark' ? 'light' : 'dark'
  }

  /** Reads the basemap from the server once per page (again with `force`); the embedded one meanwhile, or if it cannot be read. */
  function loadBasemap(force = false): Promise<void> {
    if (loading && !force) return loading
    loading = answer(api.basemap.$get()).then((b) => {
      basemap.value = b as BasemapSetting
    }).catch(() => {
      loading = null
    })
    return loading
  }

  return { theme, basemap, toggleTheme, loadBasemap }
})
