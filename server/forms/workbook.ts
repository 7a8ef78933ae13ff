/**
 * The small adapter between the forms and exceljs: reading a workbook into plain grids of cells, and
 * the few writing helpers the templates and exports share. Nothing else imports exceljs.
 */
import ExcelJS from 'exceljs'
import { columnLetter, neutraliseFormula } from '../domain/spreadsheet.js'
import { FormFileError, assertSafeXlsx } from './file-guard.js'
import type { GridCell, SheetData } from './grid.js'

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

/**
 * Worksheet parts the forms never use. The reader would expand drop-downs and conditional formats over
 * every cell of their ranges (a whole column is a million), so they are skipped, not read.
 */
const UNREAD_NODES = ['dataValidations', 'conditionalFormatting', 'hyperlinks', 'extLst', 'picture', 'drawing', 'tableParts', 'autoFilter', 'rowBreaks']

/** Excel's own limit on a cell's text. */
const MAX_CELL_TEXT = 32_767

/**
 * Reads an uploaded workbook after the safety checks into sheets of its non-empty cells (hidden sheets
 * left out); throws FormFileError for anything refused. Runs in the upload reader's worker thread.
 */
export async function readWorkbookSheets(buf: Buffer): Promise<SheetData[]> {
  assertSafeXlsx(buf)
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer, { ignoreNodes: UNREAD_NODES })
  } catch {
    throw new FormFileError('not_xlsx', '文件无法作为 Excel (.xlsx) 工作簿读取，可能已损坏')
  }
  const sheets: SheetData[] = []
  wb.eachSheet((ws) => {
    if (ws.state === 'veryHidden' || ws.state === 'hidden') return
    const rows: SheetData['rows'] = []
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: SheetData['rows'][number]['cells'] = []
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        const c = cellOf(cell)
        if (c.text.length > MAX_CELL_TEXT) {
          throw new FormFileError('too_long_cell', `工作表「${ws.name}」的单元格 ${cell.address} 有 ${c.text.length.toLocaleString('zh-CN')} 个字符，超过 Excel 单元格的上限 ${MAX_CELL_TEXT.toLocaleString('zh-CN')} 个`)
        }
        if (c.text !== '' || c.mergedInto) cells.push([column, c])
      })
      if (cells.length) rows.push({ row: rowNumber, cells })
    })
    sheets.push({ name: ws.name, rows })
  })
  return sheets
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
    // The lists hold user text too (system and department names): written like every other cell.
    values.forEach((v, j) => setText(ws.getCell(`${col}${j + 2}`), v))
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

/**
 * How a drop-down takes its value: `one` only from the list; `one-or-typed` one value, typing another
 * warns (a system not yet in the list, a data type typed as its letter); `several` values joined by 、,
 * typing warns (checkbox style stays possible).
 */
export type DropDownMode = 'one' | 'one-or-typed' | 'several'

/** A drop-down on a range, with the prompt its mode calls for. */
export function addDropDown(ws: ExcelJS.Worksheet, range: string, formula: string, title: string, mode: DropDownMode): void {
  addValidation(ws, range, {
    type: 'list',
    allowBlank: true,
    formulae: [formula],
    showErrorMessage: true,
    errorStyle: mode === 'one' ? 'stop' : 'warning',
    errorTitle: title,
    error: mode === 'one' ? `请从下拉列表中选择${title}`
      : mode === 'one-or-typed' ? `${title}建议从下拉列表中选择；只能填写一项`
        : `${title}建议从下拉列表中选择；多选请用“、”分隔`,
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
