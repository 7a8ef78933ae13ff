import { watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { filtersFromQuery, filtersToQuery, nonFilterQuery } from '../api/filter-params.js'
import { useFilterStore } from '../stores/filters.js'

/**
 * Keeps the filter store and the URL query in step both ways, so that every filtered view has a
 * URL that can be shared or put on the wall. The URL wins on navigation; the store wins on edits.
 */
export function useFilterUrlSync() {
  const route = useRoute()
  const router = useRouter()
  const store = useFilterStore()

  watch(
    () => route.query,
    (query) => store.replace(filtersFromQuery(query)),
    { immediate: true },
  )
  watch(
    () => store.filters,
    (filters) => {
      const query = { ...nonFilterQuery(route.query), ...filtersToQuery(filters) }
      const current = new URLSearchParams(filtersToQuery(filtersFromQuery(route.query))).toString()
      if (current !== new URLSearchParams(filtersToQuery(filters)).toString()) void router.replace({ query })
    },
  )
  return store
}
