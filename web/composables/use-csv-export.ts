import { ref } from 'vue'
import { answer, api } from '../api/client.js'
import type { FilterState } from '../api/filter-params.js'
import { filtersToQuery } from '../api/filter-params.js'
import type { DataResource } from '../api/types.js'
import { toCsv } from '../export/csv.js'
import { downloadCsv } from '../export/download.js'
import { RESOURCE_CSV_COLUMNS } from '../export/resource-csv.js'
import { formatDateTime } from '../lib/format.js'
import { userMessage } from '../lib/user-message.js'

/** Exports every resource matching the filters (all pages, not just the one on screen). */
export function useCsvExport() {
  const exporting = ref(false)
  const error = ref<string | null>(null)

  async function exportResources(filters: FilterState, maxRows = 50_000) {
    exporting.value = true
    error.value = null
    try {
      const rows: DataResource[] = []
      let page = 1
      for (;;) {
        const p = await answer(api.resources.$get({ query: { ...filtersToQuery(filters), page: String(page), pageSize: '500' } }))
        rows.push(...p.items)
        if (p.items.length === 0 || rows.length >= p.total || rows.length >= maxRows) break
        page += 1
      }
      const stamp = formatDateTime(new Date()).replace(/[-: ]/g, '').slice(0, 12)
      downloadCsv(`数据资源_${stamp}.csv`, toCsv(rows, RESOURCE_CSV_COLUMNS))
      return rows.length
    } catch (e) {
      error.value = userMessage(e)
      return 0
    } finally {
      exporting.value = false
    }
  }

  return { exporting, error, exportResources }
}
