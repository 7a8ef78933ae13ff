import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { SurveyRound } from '../../server/domain/types.js'
import { answer, api, cancel } from '../api/client.js'
import { userMessage } from '../lib/user-message.js'
import { useAtlasStore } from './atlas.js'
import { useCatalogStore } from './catalog.js'
import { useFilterStore } from './filters.js'

/**
 * The survey rounds, and what must be fetched again after the catalog changed through an import or
 * an editor: the drill-down that is open and the dashboard's statistics.
 */
export const useFormsStore = defineStore('forms', () => {
  const rounds = shallowRef<SurveyRound[]>([])
  const roundsError = ref<string | null>(null)
  /** Goes up after every change of the catalog, for views that hold their own copies. */
  const catalogVersion = ref(0)

  /** The rounds, read again; throws when the request fails (the rounds on hand stay). */
  async function fetchRounds(signal?: AbortSignal): Promise<SurveyRound[]> {
    rounds.value = (await answer(api['survey-rounds'].$get(undefined, cancel(signal)))).items
    roundsError.value = null
    return rounds.value
  }

  async function loadRounds(): Promise<SurveyRound[]> {
    try {
      await fetchRounds()
    } catch (e) {
      roundsError.value = userMessage(e)
    }
    return rounds.value
  }

  /** Re-fetches what the stores hold, after the catalog changed on the server. */
  async function refreshAfterChange(): Promise<void> {
    catalogVersion.value += 1
    const catalog = useCatalogStore()
    const atlas = useAtlasStore()
    const filters = useFilterStore()
    const work: Promise<unknown>[] = [loadRounds()]
    const d = catalog.department?.department.id
    const s = catalog.system?.system
    const r = catalog.resource?.resource
    if (r) work.push(catalog.loadResource(String(r.departmentId), String(r.systemId), String(r.id)))
    else if (s) work.push(catalog.loadSystem(String(s.departmentId), String(s.id)))
    // On a system's or resource's page the map shows their features, not the department's.
    if (d !== undefined) work.push(catalog.loadDepartment(String(d), !r && !s))
    work.push(catalog.reloadFeatures())
    // The dashboard loads again when it opens; if it has data already, that data is now stale.
    if (atlas.updatedAt || atlas.overview) work.push(atlas.load(filters.filters, { table: true }))
    await Promise.all(work.map((p) => p.catch(() => undefined)))
  }

  return { rounds, roundsError, catalogVersion, fetchRounds, loadRounds, refreshAfterChange }
})
