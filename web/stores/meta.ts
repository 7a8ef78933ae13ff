import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { answer, api } from '../api/client.js'
import type { MetaResponse } from '../api/types.js'
import type { AtlasFeatureCollection, RegionProperties } from '../api/geojson.js'
import { regionFeatures } from '../api/geojson.js'
import { userMessage } from '../lib/user-message.js'

/** The catalog's reference data (taxonomy, enumerations, departments) and the region boundaries. */
export const useMetaStore = defineStore('meta', () => {
  const meta = shallowRef<MetaResponse | null>(null)
  const error = ref<string | null>(null)
  let metaPromise: Promise<MetaResponse> | null = null
  let regionsPromise: Promise<{ districts: AtlasFeatureCollection<RegionProperties>; grid: AtlasFeatureCollection<RegionProperties> }> | null = null

  /** Loads once per page; later calls share the same request. */
  function load(): Promise<MetaResponse> {
    metaPromise ??= answer(api.meta.$get()).then(
      (m) => {
        meta.value = m
        document.title = m.title || document.title
        return m
      },
      (e: Error) => {
        error.value = userMessage(e)
        metaPromise = null
        throw e
      },
    )
    return metaPromise
  }

  /** District boundaries and the grid for the embedded basemap, fetched once and shared by every map. */
  function regions() {
    regionsPromise ??= Promise.all([regionFeatures('district'), regionFeatures('grid')]).then(([districts, grid]) => ({ districts, grid }))
      // A failed read is forgotten, so that the next map (or the next try) asks again.
      .catch((e: unknown) => {
        regionsPromise = null
        throw e
      })
    return regionsPromise
  }

  const domains = computed(() => meta.value?.domains ?? [])
  const departments = computed(() => meta.value?.departments ?? [])
  const demo = computed(() => meta.value?.demo ?? false)
  /** The district this atlas serves (ATLAS_DISTRICT on the server), e.g. 渝北区. */
  const districtName = computed(() => meta.value?.district?.name ?? '')
  /** A city atlas (ATLAS_ROLE=city) gathers district atlases: its own name is the city's. */
  const isCity = computed(() => meta.value?.role === 'city')
  /** What the top bar and the wall call this atlas: its district, or 重庆市 at a city atlas. */
  const placeName = computed(() => (isCity.value ? '重庆市' : districtName.value))

  /** The source a department was harvested from (a city atlas), or null for this atlas's own. */
  function departmentSource(id: number | string | null | undefined): string | null {
    return departments.value.find((x) => String(x.id) === String(id))?.source ?? null
  }
  /** A city atlas's districts (and DCAT sources) as filter choices: key → name; loaded once when asked. */
  const cityDistricts = shallowRef<{ code: string; label: string }[]>([])
  let districtsPromise: Promise<void> | null = null
  function loadCityDistricts(): Promise<void> {
    districtsPromise ??= answer(api.city.districts.$get({ query: {} })).then(
      (d) => { cityDistricts.value = d.items.map((x) => ({ code: x.key, label: x.name })) },
      () => { districtsPromise = null },
    )
    return districtsPromise
  }
  function districtLabel(key: string): string {
    return cityDistricts.value.find((d) => d.code === key)?.label ?? (key === 'local' ? '市本级' : key)
  }
  function departmentName(id: number | string): string {
    const d = departments.value.find((x) => String(x.id) === String(id))
    return d ? d.name : String(id)
  }
  function departmentShortName(id: number | string): string {
    const d = departments.value.find((x) => String(x.id) === String(id))
    return d ? d.shortName || d.name : String(id)
  }
  function domainName(code: string): string {
    return domains.value.find((d) => d.code === code)?.name ?? code
  }
  function subcategoryName(code: string): string {
    for (const d of domains.value) {
      const s = d.subcategories.find((x) => x.code === code)
      if (s) return s.name
    }
    return code
  }

  return { meta, error, load, regions, domains, departments, demo, districtName, isCity, placeName, cityDistricts, loadCityDistricts, districtLabel, departmentSource, departmentName, departmentShortName, domainName, subcategoryName }
})
