import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { answer, api } from '../api/client.js'
import { emptyFilters } from '../api/filter-params.js'
import type { DepartmentDetail, ResourceDetail, SystemDetail } from '../api/types.js'
import type { AtlasFeatureCollection } from '../api/geojson.js'
import { allFeatures } from '../api/geojson.js'
import { userMessage } from '../lib/user-message.js'

const EMPTY_FC: AtlasFeatureCollection = { type: 'FeatureCollection', features: [] }

/** The drill-down: a department, one of its systems, one of its resources, and their features. */
export const useCatalogStore = defineStore('catalog', () => {
  const department = shallowRef<DepartmentDetail | null>(null)
  const system = shallowRef<SystemDetail | null>(null)
  const resource = shallowRef<ResourceDetail | null>(null)
  /** The features of whatever is open: the department, the system or the resource. */
  const features = shallowRef<AtlasFeatureCollection>(EMPTY_FC)
  const loading = ref(false)
  const featuresLoading = ref(false)
  const error = ref<string | null>(null)
  let featuresFor: string | null = null
  // One generation counter per level: a stale answer (the user already moved on) is dropped.
  const generation = { department: 0, system: 0, resource: 0 }

  async function guard<T>(level: keyof typeof generation, work: () => Promise<T>): Promise<T | undefined> {
    const gen = ++generation[level]
    loading.value = true
    error.value = null
    try {
      const result = await work()
      return gen === generation[level] ? result : undefined
    } catch (e) {
      if (gen === generation[level]) error.value = userMessage(e)
      return undefined
    } finally {
      loading.value = false
    }
  }

  const departmentOf = (id: string) => answer(api.departments[':id'].$get({ param: { id } }))
  const systemOf = (id: string) => answer(api.systems[':id'].$get({ param: { id } }))
  const resourceOf = (id: string) => answer(api.resources[':id'].$get({ param: { id } }))

  // The API also filters features by system and resource (beyond the analyst's filters).
  async function loadFeatures(level: 'department' | 'system' | 'resource', id: string, again = false) {
    const key = `${level}:${id}`
    if (featuresFor === key && !again) return
    featuresFor = key
    // Loading again (after a change) keeps the old features on the map until the new ones arrive.
    if (!again) features.value = EMPTY_FC
    featuresLoading.value = true
    try {
      const { collection } = await allFeatures(emptyFilters(), { extra: { [level]: id }, cap: 20_000 })
      if (featuresFor === key) features.value = collection
    } finally {
      if (featuresFor === key) featuresLoading.value = false
    }
  }

  /** Loads a department; its features too unless a system or resource of it is what the map shows. */
  async function loadDepartment(id: string, withFeatures = true) {
    if (department.value && String(department.value.department.id) !== id) department.value = null
    const d = await guard('department', () => departmentOf(id))
    if (d) department.value = d
    if (withFeatures) void loadFeatures('department', id).catch(() => undefined)
  }

  /** Fetches the features of whatever is open again (after an edit or an import changed them). */
  async function reloadFeatures() {
    if (!featuresFor) return
    const [level, id] = featuresFor.split(':') as ['department' | 'system' | 'resource', string]
    await loadFeatures(level, id, true).catch(() => undefined)
  }

  async function loadSystem(departmentId: string, id: string) {
    if (system.value && String(system.value.system.id) !== id) system.value = null
    if (!department.value || String(department.value.department.id) !== departmentId) void guard('department', () => departmentOf(departmentId)).then((d) => { if (d) department.value = d })
    const s = await guard('system', () => systemOf(id))
    if (s) system.value = s
    void loadFeatures('system', id).catch(() => undefined)
  }

  async function loadResource(departmentId: string, systemId: string, id: string) {
    if (resource.value && String(resource.value.resource.id) !== id) resource.value = null
    if (!system.value || String(system.value.system.id) !== systemId) void guard('system', () => systemOf(systemId)).then((x) => { if (x) system.value = x })
    if (!department.value || String(department.value.department.id) !== departmentId) void guard('department', () => departmentOf(departmentId)).then((d) => { if (d) department.value = d })
    const r = await guard('resource', () => resourceOf(id))
    if (r) resource.value = r
    void loadFeatures('resource', id).catch(() => undefined)
  }

  return { department, system, resource, features, featuresLoading, loading, error, loadDepartment, loadSystem, loadResource, reloadFeatures }
})
