/**
 * The small adapter between the forms and exceljs: reading a workbook into plain grids of cells, and
 * the few writing helpers the templates and exports share. Nothing else imports exceljs.
 */
import ExcelJS from 'exceljs'
import { neutraliseFormula } from '../domain/spreadsheet.js'
import { FormFileError, assertSafeXlsx } from './file-guard.js'

/** One cell as the forms need it: its text, and its date or number when the cell holds one. */
export interface GridCell {
  text: string
  date?: Date
  number?: number
  /** Part of a merged range but not its top-left cell: the value shown is the range's. */
  mergedInto?: string
}

export interface Grid {
  name: string
  rowCount: number
  columnCount: number
  /** 1-based row and column, as Excel numbers them. */
  cell(row: number, column: number): GridCell
}

const EMPTY: GridCell = { text: '' }

function cellOf(cell: ExcelJS.Cell): GridCell {
  const v = cell.value
  const mergedInto = cell.isMerged && cell.master.address !== cell.address ? cell.master.address : undefined
  const base = mergedInto ? { mergedInto } : {}
  if (v == null) return { ...base, text: '' }
  if (v instanceof Date) return { ...base, text: v.toISOString().slice(0, 10), date: v }
  if (typeof v === 'number') return { ...base, text: String(v), number: v }
  if (typeof v === 'string') return { ...base, text: v }
  if (typeof v === 'boolean') return { ...base, text: v ? '是' : '否' }
  if (typeof v === 'object') {
    if ('richText' in v) return { ...base, text: v.richText.map((r) => r.text).join('') }
    if ('text' in v && typeof v.text === 'string') return { ...base, text: v.text }
    // A formula: its cached result is what the person saw; the formula itself is never evaluated.
    if ('result' in v || 'formula' in v || 'sharedFormula' in v) {
      const r = (v as { result?: unknown }).result
      if (r instanceof Date) return { ...base, text: r.toISOString().slice(0, 10), date: r }
      if (typeof r === 'number') return { ...base, text: String(r), number: r }
      if (r == null || typeof r === 'object') return { ...base, text: '' }
      return { ...base, text: String(r) }
    }
  }
  return { ...base, text: String(cell.text ?? '') }
}

/** Reads an uploaded workbook after the safety checks; throws FormFileError for anything refused. */
export async function readWorkbook(buf: Buffer): Promise<Grid[]> {
  assertSafeXlsx(buf)
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer)
  } catch {
    throw new FormFileError('not_xlsx', '文件无法作为 Excel (.xlsx) 工作簿读取，可能已损坏')
  }
  const grids: Grid[] = []
  wb.eachSheet((ws) => {
    if (ws.state === 'veryHidden' || ws.state === 'hidden') return
    const rowCount = ws.actualRowCount === 0 ? 0 : ws.rowCount
    const columnCount = ws.actualColumnCount === 0 ? 0 : ws.columnCount
    const cache = new Map<number, GridCell[]>()
    grids.push({
      name: ws.name,
      rowCount,
      columnCount,
      cell(row, column) {
        if (row < 1 || column < 1 || row > rowCount || column > columnCount) return EMPTY
        let cells = cache.get(row)
        if (!cells) {
          const r = ws.getRow(row)
          cells = []
          for (let c = 1; c <= columnCount; c++) cells.push(cellOf(r.getCell(c)))
          cache.set(row, cells)
        }
        return cells[column - 1] ?? EMPTY
      },
    })
  })
  return grids
}

/** A grid over rows of text (a CSV file), with the same shape as a worksheet. */
export function gridOfRows(name: string, rows: readonly (readonly string[])[]): Grid {
  const columnCount = rows.reduce((m, r) => Math.max(m, r.length), 0)
  return {
    name,
    rowCount: rows.length,
    columnCount,
    cell: (row, column) => ({ text: rows[row - 1]?.[column - 1] ?? '' }),
  }
}

/** Column letter of a 1-based column number (1 → A). */
export function columnLetter(column: number): string {
  let s = ''
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return s
}

export const THIN_BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' },
}
export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } }
export const FONT = 'SimSun'

/** Writes user text so no spreadsheet runs it as a formula. */
export function setText(cell: ExcelJS.Cell, text: string | null | undefined): void {
  cell.value = text == null || text === '' ? null : neutraliseFormula(text)
}

/**
 * The hidden sheet that holds drop-down lists (Excel's inline lists stop at 255 characters).
 * Returns a function giving the range formula for a named list.
 */
export function addListSheet(wb: ExcelJS.Workbook, lists: Record<string, readonly string[]>): (name: string) => string {
  const ws = wb.addWorksheet('下拉选项', { state: 'hidden' })
  const ranges = new Map<string, string>()
  Object.entries(lists).forEach(([name, values], i) => {
    const col = columnLetter(i + 1)
    ws.getCell(`${col}1`).value = name
    values.forEach((v, j) => { ws.getCell(`${col}${j + 2}`).value = v })
    ranges.set(name, `'下拉选项'!$${col}$2:$${col}$${Math.max(2, values.length + 1)}`)
  })
  return (name) => {
    const r = ranges.get(name)
    if (!r) throw new Error(`no list ${name}`)
    return r
  }
}

/** Data validation on a whole range (exceljs supports it; its type declarations do not say so). */
export function addValidation(ws: ExcelJS.Worksheet, range: string, validation: ExcelJS.DataValidation): void {
  ;(ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(range, validation)
}

/** A drop-down on a range; typing another value warns (checkbox style and several choices stay possible). */
export function addDropDown(ws: ExcelJS.Worksheet, range: string, formula: string, title: string, strict: boolean): void {
  addValidation(ws, range, {
    type: 'list',
    allowBlank: true,
    formulae: [formula],
    showErrorMessage: true,
    errorStyle: strict ? 'stop' : 'warning',
    errorTitle: title,
    error: strict ? `请从下拉列表中选择${title}` : `${title}建议从下拉列表中选择；多选请用“、”分隔`,
  })
}

export function newWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook()
  wb.creator = '城市安全数据资源一张图'
  return wb
}

export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer())
}

export type { ExcelJS }
