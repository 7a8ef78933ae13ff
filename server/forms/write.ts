/**
 * Writes the two official forms as .xlsx: blank or pre-filled templates for a department, and exports
 * of the catalog in the same layout (so an export can be edited and imported again). Every
 * enumeration gets a drop-down; user text is written so no spreadsheet runs it as a formula.
 */
import {
  BUILD_LEVELS, DATA_TYPES, DEPLOYMENTS, NETWORKS, RUN_STATUSES, SECURITY_LEVELS, SHARING_MODES, UPDATE_CYCLES,
} from '../domain/enums.js'
import {
  CHECKBOX_TIP, DEPARTMENT_LABEL, FOOTER_LABELS, REQUIRED_MARK, RESOURCE_COLUMNS, RESOURCE_LEVEL_COLUMNS, RESOURCES_FORM_NOTES,
  RESOURCES_FORM_TITLE, SYSTEM_FIELDS, SYSTEMS_FORM_NOTES, SYSTEMS_FORM_TITLE, type SystemField,
} from './layout.js'
import type { FooterDraft, ResourceDraft, SystemDraft } from './model.js'
import { formDate } from './normalise.js'
import { resourceCellText } from './resources-form.js'
import { systemFieldText } from './systems-form.js'
import {
  FONT, HEADER_FILL, THIN_BORDER, addDropDown, addValidation, addListSheet, newWorkbook, setText, workbookBuffer, type DropDownMode, type ExcelJS,
} from './workbook.js'
import { columnLetter } from '../domain/spreadsheet.js'

const labels = (entries: readonly { label: string }[]) => entries.map((e) => e.label)

/** Every non-empty combination of a multi-choice list, joined by 、 (数据库、接口 …). */
function combinations(values: readonly string[]): string[] {
  const out: string[] = []
  for (let mask = 1; mask < 1 << values.length; mask++) out.push(values.filter((_, i) => mask & (1 << i)).join('、'))
  return out.sort((a, b) => a.split('、').length - b.split('、').length)
}

const SYSTEM_LISTS = {
  建设方式: labels(BUILD_LEVELS),
  系统部署位置: labels(DEPLOYMENTS),
  运行状态: labels(RUN_STATUSES),
  等级级别: labels(SECURITY_LEVELS),
  已对外提供数据: ['是', '否'],
  提供数据方式: combinations(labels(SHARING_MODES)),
  网络类型: combinations(labels(NETWORKS)),
}

export interface SystemSheet { departmentName: string; system: Omit<SystemDraft, 'departmentId'> | null }

/** Form layout of annex 2: which row and column each label and value occupies. */
const SYSTEM_ROWS: readonly (readonly [SystemField, SystemField | null] | 'section1' | 'section2' | 'blank' | 'footer1' | 'footer2')[] = [
  'section1',
  ['name', 'buildLevel'],
  ['builder', 'operator'],
  ['deployment', null],
  ['runStatus', null],
  ['securityLevel', null],
  ['sharesData', null],
  ['sharingModes', null],
  'section2',
  ['networks', null],
  'blank',
  'footer1',
  'footer2',
]

function styleBox(cell: ExcelJS.Cell, header = false): void {
  cell.border = THIN_BORDER
  cell.font = { name: FONT, size: 11, bold: header }
  cell.alignment = { vertical: 'middle', horizontal: header ? 'center' : 'left', wrapText: true }
  if (header) cell.fill = HEADER_FILL
}

function writeSystemSheet(ws: ExcelJS.Worksheet, sheet: SystemSheet, list: (name: string) => string): void {
  ws.columns = [{ width: 18 }, { width: 34 }, { width: 18 }, { width: 34 }]
  ws.mergeCells('A1:D1')
  const title = ws.getCell('A1')
  title.value = SYSTEMS_FORM_TITLE
  title.font = { name: FONT, size: 18, bold: true }
  title.alignment = { horizontal: 'center', vertical: 'middle' }
  ws.getRow(1).height = 36
  ws.getCell('A2').value = DEPARTMENT_LABEL
  styleBox(ws.getCell('A2'), true)
  ws.mergeCells('B2:D2')
  setText(ws.getCell('B2'), sheet.departmentName)
  styleBox(ws.getCell('B2'))
  const value = (field: SystemField) => (sheet.system ? systemFieldText(sheet.system, field) : '')
  const label = (field: SystemField) => {
    const spec = SYSTEM_FIELDS.find((f) => f.field === field)!
    return spec.required ? `${spec.label}${REQUIRED_MARK}` : spec.label
  }
  let r = 3
  for (const row of SYSTEM_ROWS) {
    if (row === 'section1' || row === 'section2') {
      ws.mergeCells(`A${r}:D${r}`)
      const c = ws.getCell(`A${r}`)
      c.value = row === 'section1' ? '一、政务信息化系统基本情况' : '二、网络信息'
      styleBox(c, true)
      c.alignment = { horizontal: 'left', vertical: 'middle' }
    } else if (row === 'footer1' || row === 'footer2') {
      const [a, b] = row === 'footer1' ? (['reviewer', 'filler'] as const) : (['phone', 'filledAt'] as const)
      ws.getCell(`A${r}`).value = `${SYSTEM_FIELDS.find((f) => f.field === a)!.label}：`
      setText(ws.getCell(`B${r}`), value(a))
      ws.getCell(`C${r}`).value = `${SYSTEM_FIELDS.find((f) => f.field === b)!.label}：`
      setText(ws.getCell(`D${r}`), value(b))
      for (const col of ['A', 'C']) ws.getCell(`${col}${r}`).font = { name: FONT, size: 11, bold: true }
    } else if (Array.isArray(row)) {
      const [left, right] = row
      ws.getCell(`A${r}`).value = label(left)
      styleBox(ws.getCell(`A${r}`), true)
      setText(ws.getCell(`B${r}`), value(left))
      styleBox(ws.getCell(`B${r}`))
      if (right) {
        ws.getCell(`C${r}`).value = label(right)
        styleBox(ws.getCell(`C${r}`), true)
        setText(ws.getCell(`D${r}`), value(right))
        styleBox(ws.getCell(`D${r}`))
      } else {
        ws.mergeCells(`B${r}:D${r}`)
      }
      for (const [field, col] of [[left, 'B'], [right, 'D']] as const) {
        if (!field) continue
        const listName = SYSTEM_FIELDS.find((f) => f.field === field)!.label
        if (listName in SYSTEM_LISTS) addDropDown(ws, `${col}${r}`, list(listName), listName, ['提供数据方式', '网络类型'].includes(listName) ? 'several' : 'one')
      }
      ws.getRow(r).height = 24
    }
    r++
  }
  for (const note of [...SYSTEMS_FORM_NOTES, CHECKBOX_TIP]) writeNote(ws, r++, 'D', note, 104)
  ws.pageSetup = { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 }
}

/**
 * A note under a form, over the whole width (columns A to `lastColumn`, `width` characters wide in
 * all), wrapped: a Chinese character takes about two characters of column width.
 */
function writeNote(ws: ExcelJS.Worksheet, row: number, lastColumn: string, note: string, width: number): void {
  ws.mergeCells(`A${row}:${lastColumn}${row}`)
  const cell = ws.getCell(`A${row}`)
  cell.value = note
  cell.font = { name: FONT, size: 10, color: { argb: 'FF555555' } }
  cell.alignment = { vertical: 'top', wrapText: true }
  ws.getRow(row).height = 15 * Math.max(1, Math.ceil((note.length * 2) / width))
}

/** A sheet name Excel accepts (≤ 31 characters, none of : \ / ? * [ ]) and unique in the workbook. */
function sheetName(wanted: string, taken: Set<string>): string {
  const base = wanted.replace(/[:\\/?*[\]]/g, '_').replace(/^'+|'+$/g, '').slice(0, 28) || '系统'
  let name = base
  for (let n = 2; taken.has(name); n++) name = `${base.slice(0, 27)}(${n})`
  taken.add(name)
  return name
}

/**
 * Annex 2 as a workbook: one sheet per system, or one blank sheet when there are none (a template).
 * A template gets one more blank sheet to fill in a new system.
 */
export async function systemsWorkbook(sheets: readonly SystemSheet[], options: { blankSheetFor?: string } = {}): Promise<Buffer> {
  const wb = newWorkbook()
  const taken = new Set<string>(['下拉选项'])
  const pending: [ExcelJS.Worksheet, SystemSheet][] = []
  for (const s of sheets) pending.push([wb.addWorksheet(sheetName(s.system?.name ?? '系统', taken)), s])
  if (options.blankSheetFor !== undefined) pending.push([wb.addWorksheet(sheetName(sheets.length ? '新增系统' : '系统1', taken)), { departmentName: options.blankSheetFor, system: null }])
  const list = addListSheet(wb, SYSTEM_LISTS)
  for (const [ws, s] of pending) writeSystemSheet(ws, s, list)
  return workbookBuffer(wb)
}

export interface ResourceRows {
  departmentName: string
  categoryName: string
  resource: ResourceDraft
}

const DATA_ROWS_IN_TEMPLATE = 300

/**
 * Annex 3 as a workbook: the title, the two header rows with "(必填项)", the instruction row, one row
 * per data item with the resource's cells merged over its items, the footer and the notes.
 */
export interface ResourcesSheet { name: string; rows: readonly ResourceRows[]; footer: FooterDraft }

/**
 * Annex 3 as a workbook, one sheet per department: the title, the two header rows with "(必填项)", the
 * instruction row, one row per data item with the resource's cells merged over its items, the footer
 * and the notes.
 */
export async function resourcesWorkbook(
  sheets: readonly ResourcesSheet[],
  lists: { departments: readonly string[]; systems: readonly string[]; categories: readonly string[] },
): Promise<Buffer> {
  const wb = newWorkbook()
  const taken = new Set<string>(['下拉选项'])
  const pending = sheets.map((s) => [wb.addWorksheet(sheetName(s.name, taken), { views: [{ state: 'frozen', ySplit: 4 }] }), s] as const)
  const list = addListSheet(wb, {
    数据资源提供方: lists.departments,
    所属业务系统: lists.systems.length ? lists.systems : [''],
    数据资源所属类别: lists.categories,
    数据提供方式: labels(SHARING_MODES),
    数据类型: DATA_TYPES.map((t) => `${t.label} ${t.code}`),
    更新周期: labels(UPDATE_CYCLES),
  })
  for (const [ws, sheet] of pending) writeResourcesSheet(ws, sheet.rows, sheet.footer, list)
  return workbookBuffer(wb)
}

function writeResourcesSheet(ws: ExcelJS.Worksheet, rows: readonly ResourceRows[], footer: FooterDraft, list: (name: string) => string): void {
  ws.columns = RESOURCE_COLUMNS.map((c) => ({ width: c.width }))
  const last = columnLetter(RESOURCE_COLUMNS.length)
  ws.mergeCells(`A1:${last}1`)
  ws.getCell('A1').value = RESOURCES_FORM_TITLE
  ws.getCell('A1').font = { name: FONT, size: 18, bold: true }
  ws.getCell('A1').alignment = { horizontal: 'center', vertical: 'middle' }
  ws.getRow(1).height = 36
  // Row 2: the groups of the official form; 更新周期 spans rows 2–3.
  const groups: [string, string, string][] = [['A', 'B', '数据资源提供方'], ['C', 'E', '数据资源信息'], ['F', 'H', '数据项信息']]
  for (const [from, to, text] of groups) {
    ws.mergeCells(`${from}2:${to}2`)
    ws.getCell(`${from}2`).value = text
  }
  ws.mergeCells(`${last}2:${last}3`)
  ws.getCell(`${last}2`).value = `更新周期${REQUIRED_MARK}`
  RESOURCE_COLUMNS.forEach((c, i) => {
    const col = columnLetter(i + 1)
    if (c.key !== 'updateCycle') ws.getCell(`${col}3`).value = `${c.header}${REQUIRED_MARK}`
    ws.getCell(`${col}4`).value = c.hint
    for (const r of [2, 3]) styleBox(ws.getCell(`${col}${r}`), true)
    styleBox(ws.getCell(`${col}4`))
    ws.getCell(`${col}4`).font = { name: FONT, size: 9, color: { argb: 'FF666666' } }
  })
  ws.getRow(4).height = 96

  let r = 5
  for (const { resource, departmentName, categoryName } of rows) {
    const first = r
    const items = resource.items.length ? resource.items : [undefined]
    for (const item of items) {
      RESOURCE_COLUMNS.forEach((c, i) => {
        const cell = ws.getRow(r).getCell(i + 1)
        if (r === first || !RESOURCE_LEVEL_COLUMNS.includes(c.key)) {
          const v = resourceCellText(resource, c.key, { departmentName, categoryName }, item)
          if (typeof v === 'number') cell.value = v
          else setText(cell, v)
        }
        styleBox(cell)
      })
      r++
    }
    if (r - 1 > first) {
      RESOURCE_COLUMNS.forEach((c, i) => {
        if (RESOURCE_LEVEL_COLUMNS.includes(c.key)) ws.mergeCells(first, i + 1, r - 1, i + 1)
      })
    }
  }
  const lastData = Math.max(r - 1, 4 + DATA_ROWS_IN_TEMPLATE)
  for (; r <= lastData; r++) RESOURCE_COLUMNS.forEach((_, i) => styleBox(ws.getRow(r).getCell(i + 1)))
  const dropDowns: [string, string, DropDownMode][] = [
    ['A', '数据资源提供方', 'one'], ['B', '所属业务系统', 'one-or-typed'], ['C', '数据资源所属类别', 'one'],
    ['E', '数据提供方式', 'one'], ['G', '数据类型', 'one-or-typed'], ['I', '更新周期', 'one'],
  ]
  for (const [col, name, mode] of dropDowns) addDropDown(ws, `${col}5:${col}${lastData}`, list(name), name, mode)
  addValidation(ws, `H5:H${lastData}`, {
    type: 'whole', operator: 'greaterThan', formulae: [0], allowBlank: true, showErrorMessage: true,
    errorTitle: '数据长度', error: '数据长度须为正整数',
  })

  r = lastData + 2
  const footerValues: Record<(typeof FOOTER_LABELS)[number], string> = {
    审核人: footer.reviewer, 填报人: footer.filler, 联系电话: footer.phone, 填报时间: formDate(footer.filledAt),
  }
  for (const labelText of FOOTER_LABELS) {
    ws.getCell(`A${r}`).value = `${labelText}：`
    ws.getCell(`A${r}`).font = { name: FONT, size: 11, bold: true }
    setText(ws.getCell(`B${r}`), footerValues[labelText])
    r++
  }
  r++
  const width = RESOURCE_COLUMNS.reduce((n, c) => n + c.width, 0)
  for (const note of RESOURCES_FORM_NOTES) writeNote(ws, r++, last, note, width)
  ws.pageSetup = { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 }
}
