import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { answer, api } from '../api/client.js'
import type { MetaResponse } from '../api/types.js'
import type { AtlasFeatureCollection, RegionProperties } from '../api/geojson.js'
import { regionFeatures } from '../api/geojson.js'

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
        error.value = e.message
        metaPromise = null
        throw e
      },
    )
    return metaPromise
  }

  /** District boundaries and the grid for the embedded basemap, fetched once and shared by every map. */
  function regions() {
    regionsPromise ??= Promise.all([regionFeatures('district'), regionFeatures('grid')]).then(([districts, grid]) => ({ districts, grid }))
    return regionsPromise
  }

  const domains = computed(() => meta.value?.domains ?? [])
  const departments = computed(() => meta.value?.departments ?? [])
  const demo = computed(() => meta.value?.demo ?? false)
  /** The district this atlas serves (ATLAS_DISTRICT on the server), e.g. 渝北区. */
  const districtName = computed(() => meta.value?.district?.name ?? '')

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

  return { meta, error, load, regions, domains, departments, demo, districtName, departmentName, departmentShortName, domainName, subcategoryName }
})
