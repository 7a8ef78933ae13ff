import { CSV_BOM } from './csv.js'

/** Saves a blob under a file name through a temporary object URL (no server round trip). */
export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Saves text as a CSV file (with the BOM Excel needs to read UTF-8). */
export function downloadCsv(filename: string, csv: string): void {
  downloadBlob(filename, new Blob([CSV_BOM, csv], { type: 'text/csv;charset=utf-8' }))
}
