/**
 * Annex 3, 城市安全数据资源摸排表: one row per data item. A resource spans several rows; its columns are
 * repeated, merged, or left blank under the first row. The header row is found by its column names,
 * the instruction row and the footer (审核人 / 填报人 / 联系电话 / 填报时间) are recognised, trailing and
 * empty rows are skipped.
 */
import { DATA_TYPES, SHARING_MODES, UPDATE_CYCLES, labelOf, type DataType } from '../domain/enums.js'
import type { FormContext } from './context.js'
import { FOOTER_LABELS, RESOURCE_COLUMNS, RESOURCE_LEVEL_COLUMNS, bareLabel, type ResourceColumn } from './layout.js'
import type { CellRef, FooterDraft, FormProblem, ItemDraft, ResourceDraft } from './model.js'
import { problemAt } from './model.js'
import { cleanText, nameKey, quote, readDate, readEnum, readPhone, readPositiveInt, type Read } from './normalise.js'
import { columnLetter } from '../domain/spreadsheet.js'
import type { Grid, GridCell } from './grid.js'

const HEADER_SCAN_ROWS = 12
const headerOf = (key: ResourceColumn) => RESOURCE_COLUMNS.find((c) => c.key === key)!.header

/** Finds the header row and the column of each field; null when the sheet is not this form. */
function findColumns(grid: Grid): { headerRow: number; columns: Map<ResourceColumn, number> } | null {
  const wanted = new Map(RESOURCE_COLUMNS.map((c) => [bareLabel(c.header), c.key]))
  const rows = Math.min(grid.rowCount, HEADER_SCAN_ROWS)
  for (let r = 1; r <= rows; r++) {
    const columns = new Map<ResourceColumn, number>()
    for (let c = 1; c <= Math.min(grid.columnCount, 40); c++) {
      const key = wanted.get(bareLabel(grid.cell(r, c).text))
      if (key && !columns.has(key)) columns.set(key, c)
    }
    // 数据资源提供方 is also the group header above; the real header row names the items.
    if (columns.has('item') && columns.has('resource')) {
      // 更新周期 sits in the group-header row, merged down over the header row.
      if (!columns.has('updateCycle')) {
        for (let c = 1; c <= Math.min(grid.columnCount, 40); c++) {
          if (bareLabel(grid.cell(r - 1, c).text) === bareLabel(headerOf('updateCycle'))) columns.set('updateCycle', c)
        }
      }
      return { headerRow: r, columns }
    }
  }
  return null
}

function readDataType(raw: string): Read<DataType> {
  const text = raw.normalize('NFKC').replace(/\s+/g, '')
  const m = /^([A-Za-z])?([^A-Za-z]*)([A-Za-z])?$/.exec(text)
  if (m) {
    const letter = (m[1] ?? m[3])?.toUpperCase()
    const label = m[2] ?? ''
    const byLetter = letter ? DATA_TYPES.find((t) => t.code === letter) : undefined
    const byLabel = label ? DATA_TYPES.find((t) => t.label === label || t.label.replace(/型$/, '') === label.replace(/型$/, '')) : undefined
    if (byLetter && byLabel && byLetter !== byLabel) return { ok: false, message: `${quote(raw)}前后矛盾（${byLetter.code} 是${byLetter.label}）` }
    const hit = byLetter ?? byLabel
    if (hit && !(m[1] && m[3])) return { ok: true, value: hit.code }
  }
  return { ok: false, message: `${quote(raw)}不在可选范围内（可选：${DATA_TYPES.map((t) => `${t.label} ${t.code}`).join('、')}）` }
}

function isFooterRow(grid: Grid, row: number): boolean {
  const first = cleanText(grid.cell(row, 1).text)
  return /^说明[:：]/.test(first) || FOOTER_LABELS.some((l) => first.startsWith(l) && /^[^:：]*[:：]/.test(first))
}

/** Reads 审核人：… 填报人：… wherever they are below the table, inline or in the next cell. */
function readFooter(grid: Grid, fromRow: number, problems: FormProblem[]): FooterDraft {
  const footer: FooterDraft = { reviewer: '', filler: '', phone: '', filledAt: null }
  for (let r = fromRow; r <= Math.min(grid.rowCount, fromRow + 20); r++) {
    for (let c = 1; c <= Math.min(grid.columnCount, 20); c++) {
      const cell = grid.cell(r, c)
      if (cell.mergedInto) continue
      const text = cleanText(cell.text)
      const m = /^(审核人|填报人|联系电话|填报时间)\s*[:：]?\s*(.*)$/.exec(text)
      if (!m) continue
      let value = m[2]!
      let valueCell: GridCell = { text: value }
      let at: CellRef = { sheet: grid.name, row: r, column: columnLetter(c) }
      if (value === '') {
        let vc = c + 1
        while (grid.cell(r, vc).mergedInto === `${columnLetter(c)}${r}`) vc++
        valueCell = grid.cell(r, vc)
        value = /^(审核人|填报人|联系电话|填报时间)\s*[:：]/.test(cleanText(valueCell.text)) ? '' : cleanText(valueCell.text)
        at = { sheet: grid.name, row: r, column: columnLetter(vc) }
      }
      if (value === '') continue
      if (m[1] === '审核人') footer.reviewer = value
      else if (m[1] === '填报人') footer.filler = value
      else if (m[1] === '联系电话') {
        const p = readPhone(value)
        if (p.ok) footer.phone = p.value
        else problems.push(problemAt(at, '联系电话', p.message))
      } else {
        const d = readDate(valueCell.date ?? valueCell.number ?? value)
        if (d.ok) footer.filledAt = d.value
        else problems.push(problemAt(at, '填报时间', d.message))
      }
    }
  }
  return footer
}

interface RowValues { row: number; values: Map<ResourceColumn, { cell: GridCell; text: string; at: CellRef }> }

export interface ParsedResources { drafts: ResourceDraft[]; problems: FormProblem[]; departmentIds: number[]; sheets: number }

/**
 * Reads every annex-3 sheet (or a CSV grid). departmentId, when given, is the department the upload
 * was made for: every row must name it.
 */
export function parseResourcesGrids(grids: readonly Grid[], ctx: FormContext, departmentId: number | null): ParsedResources {
  const drafts: ResourceDraft[] = []
  const problems: FormProblem[] = []
  const byKey = new Map<string, { draft: ResourceDraft; firstRow: RowValues; itemRows: Map<string, number> }>()
  let sheets = 0
  for (const grid of grids) {
    const found = findColumns(grid)
    if (!found) continue
    sheets++
    const { headerRow, columns } = found
    for (const c of RESOURCE_COLUMNS) {
      if (!columns.has(c.key)) problems.push({ sheet: grid.name, row: headerRow, column: null, field: c.header, message: `表头缺少「${c.header}」列` })
    }
    if (columns.size < RESOURCE_COLUMNS.length) continue
    let footerRow = grid.rowCount + 1
    let previous: RowValues | null = null
    for (let r = headerRow + 1; r <= grid.rowCount; r++) {
      if (isFooterRow(grid, r)) { footerRow = r; break }
      const values: RowValues = { row: r, values: new Map() }
      let any = false
      for (const [key, c] of columns) {
        const cell = grid.cell(r, c)
        const text = cleanText(cell.text)
        if (text !== '') any = true
        values.values.set(key, { cell, text, at: { sheet: grid.name, row: r, column: columnLetter(c) } })
      }
      if (!any) continue
      if (/^填写内容/.test(values.values.get('department')!.text) || /^填写内容/.test(values.values.get('item')!.text)) continue
      // Blank resource cells (merged, or left empty under the first row) continue the resource above.
      const resourceText = values.values.get('resource')!.text
      const continues = previous !== null && (resourceText === '' || nameKey(resourceText) === nameKey(previous.values.get('resource')!.text))
      if (continues && previous) {
        for (const key of RESOURCE_LEVEL_COLUMNS) {
          if (values.values.get(key)!.text === '') values.values.set(key, previous.values.get(key)!)
        }
      }
      readRow(values, ctx, departmentId, byKey, drafts, problems)
      previous = values
    }
    const footer = readFooter(grid, Math.min(footerRow, grid.rowCount + 1), problems)
    for (const entry of byKey.values()) {
      if (entry.draft.at?.sheet !== grid.name) continue
      Object.assign(entry.draft, footer)
    }
  }
  if (sheets > 0 && drafts.length === 0 && problems.length === 0) {
    problems.push({ sheet: null, row: null, column: null, field: '数据资源名称', message: '表格中没有填写任何数据资源；如本部门没有区级建设系统的数据资源，请在部门页使用“无系统”反馈' })
  }
  if (sheets === 0) {
    problems.push({ sheet: null, row: null, column: null, field: '表头', message: '文件中没有《城市安全数据资源摸排表》（找不到「数据资源名称」「数据项名称」等表头）；请使用下载的模板填写' })
  }
  const departmentIds = [...new Set(drafts.map((d) => d.departmentId).filter((id) => id > 0))]
  if (departmentId !== null && !departmentIds.includes(departmentId)) departmentIds.push(departmentId)
  return { drafts, problems, departmentIds, sheets }
}

function readRow(
  rv: RowValues,
  ctx: FormContext,
  departmentId: number | null,
  byKey: Map<string, { draft: ResourceDraft; firstRow: RowValues; itemRows: Map<string, number> }>,
  drafts: ResourceDraft[],
  problems: FormProblem[],
): void {
  const v = (key: ResourceColumn) => rv.values.get(key)!
  const rowProblems: FormProblem[] = []
  const need = (key: ResourceColumn): string | null => {
    const x = v(key)
    if (x.text === '') {
      rowProblems.push(problemAt(x.at, headerOf(key), '缺少必填项'))
      return null
    }
    return x.text
  }
  const deptText = need('department')
  const systemText = need('system')
  const categoryText = need('category')
  const resourceText = need('resource')
  const modeText = need('provisionMode')
  const itemText = need('item')
  const typeText = need('dataType')
  const lengthText = need('length')
  const cycleText = need('updateCycle')

  let deptId: number | null = null
  if (deptText !== null) {
    const d = ctx.department(deptText)
    if (!d) rowProblems.push(problemAt(v('department').at, headerOf('department'), `未知的数据资源提供方${quote(deptText)}（请填写部门全称，如 渝北区应急局）`))
    else if (departmentId !== null && d.id !== departmentId) {
      rowProblems.push(problemAt(v('department').at, headerOf('department'), `数据资源提供方${quote(deptText)}与本次填报的部门「${ctx.departmentById(departmentId)?.name}」不一致`))
    } else deptId = d.id
  }
  let systemId: number | null = null
  if (systemText !== null && deptId !== null) {
    const { own, elsewhere } = ctx.system(deptId, systemText)
    const deptName = ctx.departmentById(deptId)!.name
    if (!own) {
      rowProblems.push(problemAt(v('system').at, headerOf('system'), elsewhere.length > 0
        ? `业务系统${quote(systemText)}属于「${ctx.departmentById(elsewhere[0]!.departmentId)?.name}」，不是「${deptName}」的系统`
        : `业务系统${quote(systemText)}不在「${deptName}」已填报的系统中；请先在《城市安全业务系统调研表》中填报该系统`))
    } else if (own.buildLevel !== 'district') {
      rowProblems.push(problemAt(v('system').at, headerOf('system'), `业务系统${quote(systemText)}为「${ctx.buildLevelLabel(own.buildLevel)}」系统；本表只填写区级建设业务系统的数据资源`))
    } else systemId = own.id
  }
  let subcategoryCode: string | null = null
  if (categoryText !== null) {
    const s = ctx.subcategory(categoryText)
    if (!s) rowProblems.push(problemAt(v('category').at, headerOf('category'), `未知的数据资源所属类别${quote(categoryText)}（参照附件1填写，如 燃气管网安全、供水管网安全）`))
    else subcategoryCode = s.code
  }
  const readOr = <T>(key: ResourceColumn, text: string | null, r: (t: string) => Read<T>): T | null => {
    if (text === null) return null
    const out = r(text)
    if (!out.ok) { rowProblems.push(problemAt(v(key).at, headerOf(key), out.message)); return null }
    return out.value
  }
  const mode = readOr('provisionMode', modeText, (t) => readEnum(SHARING_MODES, t))
  const cycle = readOr('updateCycle', cycleText, (t) => readEnum(UPDATE_CYCLES, t))
  const dataType = readOr('dataType', typeText, readDataType)
  const lengthCell = v('length').cell
  const length = readOr('length', lengthText, () => readPositiveInt(lengthCell.number ?? lengthText ?? ''))

  problems.push(...rowProblems)
  if (deptId === null || systemText === null || resourceText === null) return
  const key = `${deptId}\u0000${nameKey(systemText)}\u0000${nameKey(resourceText)}`
  let entry = byKey.get(key)
  if (!entry) {
    const draft: ResourceDraft = {
      departmentId: deptId,
      systemId: systemId ?? 0,
      systemName: systemText,
      subcategoryCode: subcategoryCode ?? '',
      name: resourceText,
      provisionMode: mode ?? 'database',
      updateCycle: cycle ?? 'irregular',
      items: [],
      reviewer: '', filler: '', phone: '', filledAt: null,
      at: v('resource').at,
    }
    entry = { draft, firstRow: rv, itemRows: new Map() }
    byKey.set(key, entry)
    drafts.push(draft)
  } else {
    // The resource's columns must say the same thing on every row of the resource.
    for (const col of ['category', 'provisionMode', 'updateCycle'] as const) {
      const a = entry.firstRow.values.get(col)!.text
      const b = v(col).text
      if (a !== '' && b !== '' && nameKey(a) !== nameKey(b) && v(col).at.row === rv.row) {
        problems.push(problemAt(v(col).at, headerOf(col), `同一数据资源${quote(resourceText)}的「${headerOf(col)}」前后不一致（第 ${entry.firstRow.row} 行为${quote(a)}）`))
      }
    }
  }
  if (itemText === null) return
  const itemKey = nameKey(itemText)
  const firstRow = entry.itemRows.get(itemKey)
  if (firstRow !== undefined) {
    problems.push(problemAt(v('item').at, headerOf('item'), `数据资源${quote(resourceText)}中数据项${quote(itemText)}重复（第 ${firstRow} 行已填写）`))
    return
  }
  entry.itemRows.set(itemKey, rv.row)
  const item: ItemDraft = { name: itemText, dataType: dataType ?? 'C', length: length ?? 1, at: v('item').at }
  entry.draft.items.push(item)
}

/** The text a resource-level column is written with in the form. */
export function resourceCellText(d: ResourceDraft, key: ResourceColumn, ctx: { departmentName: string; categoryName: string }, item?: ItemDraft): string | number {
  switch (key) {
    case 'department': return ctx.departmentName
    case 'system': return d.systemName
    case 'category': return ctx.categoryName
    case 'resource': return d.name
    case 'provisionMode': return labelOf(SHARING_MODES, d.provisionMode)
    case 'item': return item?.name ?? ''
    case 'dataType': return item ? `${labelOf(DATA_TYPES, item.dataType)} ${item.dataType}` : ''
    case 'length': return item?.length ?? ''
    case 'updateCycle': return labelOf(UPDATE_CYCLES, d.updateCycle)
  }
}
