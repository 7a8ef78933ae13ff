import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
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
/** How much 大字号 enlarges the app (CSS zoom on .app in base.css: keep the two equal). */
export const TEXT_ZOOM = 1.25
export const EMBEDDED_BASEMAP: BasemapSetting = { type: 'embedded', url: '', file: null }

/** This browser's local storage (none in unit tests under Node). */
const storage = () => (globalThis as { localStorage?: { getItem(k: string): string | null; setItem(k: string, v: string): void } }).localStorage

/** What this browser keeps: the theme and the two display aids (大字号, 高对比度). */
export interface DisplaySettings {
  theme: MapTheme
  largeText: boolean
  highContrast: boolean
}

export function readDisplaySettings(raw: string | null | undefined): DisplaySettings {
  try {
    const kept = raw ? (JSON.parse(raw) as Partial<Record<keyof DisplaySettings, unknown>>) : {}
    return { theme: kept.theme === 'dark' ? 'dark' : 'light', largeText: kept.largeText === true, highContrast: kept.highContrast === true }
  } catch {
    return { theme: 'light', largeText: false, highContrast: false }
  }
}

function readKept(): DisplaySettings {
  try {
    return readDisplaySettings(storage()?.getItem(STORAGE_KEY))
  } catch {
    return readDisplaySettings(null)
  }
}

/** The PMTiles basemap a setting names, for the map's style; null for any other kind. */
export function pmtilesOf(b: BasemapSetting): PmtilesBasemap | null {
  return b.type === 'pmtiles' && b.file ? { url: b.url, tileType: b.file.tileType, minZoom: b.file.minZoom, maxZoom: b.file.maxZoom, bounds: b.file.bounds } : null
}

/**
 * The desktop theme and the display aids (this browser's choices, kept in local storage; App.vue puts
 * them on <html>), and the basemap (the server's).
 */
export const useSettingsStore = defineStore('settings', () => {
  const kept = readKept()
  const theme = ref<MapTheme>(kept.theme)
  const largeText = ref(kept.largeText)
  const highContrast = ref(kept.highContrast)
  /** The app's scale: maps draw their canvas this much finer so that 大字号 stays sharp. */
  const textZoom = computed(() => (largeText.value ? TEXT_ZOOM : 1))
  const basemap = ref<BasemapSetting>(EMBEDDED_BASEMAP)
  let loading: Promise<void> | null = null

  watch([theme, largeText, highContrast], () => {
    try {
      const settings: DisplaySettings = { theme: theme.value, largeText: largeText.value, highContrast: highContrast.value }
      storage()?.setItem(STORAGE_KEY, JSON.stringify(settings))
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

  return { theme, largeText, highContrast, textZoom, basemap, toggleTheme, loadBasemap }
})
