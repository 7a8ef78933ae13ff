import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { emptyFilters, filtersToQuery, sameFilters, toggleValue } from '../api/filter-params.js'
import type { FilterState, ListFilterKey } from '../api/filter-params.js'

/** The analyst's filters. Plain data; useFilterUrlSync keeps it and the URL query in step. */
export const useFilterStore = defineStore('filters', () => {
  const filters = ref<FilterState>(emptyFilters())

  /** Replaces the whole state, but only when it selects something different (no reload loops). */
  function replace(next: FilterState) {
    if (!sameFilters(filters.value, next)) filters.value = next
  }
  function setList(key: ListFilterKey, values: string[]) {
    replace({ ...filters.value, [key]: values })
  }
  function toggle(key: ListFilterKey, value: string) {
    setList(key, toggleValue(filters.value[key], value))
  }
  function setQuery(q: string) {
    replace({ ...filters.value, q })
  }
  /** Selecting a domain drops sub-categories of other domains, which would otherwise select nothing. */
  function toggleDomain(code: string, subcategoriesOf: (domain: string) => string[]) {
    const domain = toggleValue(filters.value.domain, code)
    const allowed = new Set(domain.flatMap(subcategoriesOf))
    const subcategory = domain.length ? filters.value.subcategory.filter((s) => allowed.has(s)) : filters.value.subcategory
    replace({ ...filters.value, domain, subcategory })
  }
  function clear() {
    replace(emptyFilters())
  }

  const activeCount = computed(() => Object.values(filtersToQuery(filters.value)).reduce((n, v) => n + v.split(',').length, 0))

  return { filters, replace, setList, toggle, setQuery, toggleDomain, clear, activeCount }
})
