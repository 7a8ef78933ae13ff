/**
 * Annex 2, 城市安全业务系统调研表: one sheet per information system, label / value pairs. Reading finds
 * each label wherever it sits (people insert rows and move things), reads the cell to its right (or
 * the text after "：" in the same cell) and checks it.
 */
import {
  BUILD_LEVELS, DEPLOYMENTS, NETWORKS, RUN_STATUSES, SECURITY_LEVELS, SHARING_MODES, labelOf,
} from '../domain/enums.js'
import type { FormContext } from './context.js'
import { DEPARTMENT_LABEL, SYSTEM_FIELDS, bareLabel, type SystemField } from './layout.js'
import type { CellRef, FormProblem, SystemDraft } from './model.js'
import { problemAt } from './model.js'
import { inOrder } from './plan.js'
import { cleanText, formDate, nameKey, quote, readDate, readEnum, readEnumSet, readPhone, readYesNo, splitChoices, type Read } from './normalise.js'
import { columnLetter } from '../domain/spreadsheet.js'
import type { Grid, GridCell } from './grid.js'

const LABELS = new Map<string, SystemField | 'department'>([
  ...SYSTEM_FIELDS.map((f) => [bareLabel(f.label), f.field] as const),
  [bareLabel(DEPARTMENT_LABEL), 'department'],
])
/** How far the parser looks for labels: the form is small, a hostile sheet is not scanned whole. */
const SCAN_ROWS = 60
const SCAN_COLUMNS = 12

interface FoundValue { cell: GridCell; text: string; at: CellRef }

/** Finds every known label on a sheet and the value that belongs to it. */
function findValues(grid: Grid): Map<SystemField | 'department', FoundValue> {
  const found = new Map<SystemField | 'department', FoundValue>()
  const rows = Math.min(grid.rowCount, SCAN_ROWS)
  const cols = Math.min(grid.columnCount, SCAN_COLUMNS)
  for (let r = 1; r <= rows; r++) {
    for (let c = 1; c <= cols; c++) {
      const cell = grid.cell(r, c)
      if (cell.mergedInto || cell.text === '') continue
      const text = cleanText(cell.text)
      const inline = /^([^:：]{2,12})[:：]\s*(.+)$/.exec(text)
      const whole = LABELS.get(bareLabel(text))
      if (whole && !found.has(whole)) {
        // The value is the next cell to the right that is not part of the label's own merge.
        let vc = c + 1
        while (vc <= grid.columnCount && grid.cell(r, vc).mergedInto === `${columnLetter(c)}${r}`) vc++
        const value = grid.cell(r, vc)
        const valueText = cleanText(value.text)
        found.set(whole, { cell: valueText === '' ? { text: '' } : value, text: valueText, at: { sheet: grid.name, row: r, column: columnLetter(vc) } })
      } else if (inline) {
        const field = LABELS.get(bareLabel(inline[1]!))
        if (field && !found.has(field)) {
          found.set(field, { cell: { text: inline[2]! }, text: cleanText(inline[2]!), at: { sheet: grid.name, row: r, column: columnLetter(c) } })
        }
      }
    }
  }
  return found
}

export interface ParsedSystems { drafts: SystemDraft[]; problems: FormProblem[]; departmentIds: number[] }

/**
 * Reads every system sheet of a workbook. The department comes from the sheet's 填报单位, or from the
 * department the upload was made for; when both are given they must agree.
 */
export function parseSystemsWorkbook(grids: readonly Grid[], ctx: FormContext, departmentId: number | null): ParsedSystems {
  const drafts: SystemDraft[] = []
  const problems: FormProblem[] = []
  const seen = new Map<string, CellRef>()
  let formSheets = 0
  for (const grid of grids) {
    const values = findValues(grid)
    if (!values.has('name')) continue
    formSheets++
    const filled = [...values.entries()].filter(([k, v]) => k !== 'department' && splitChoices(v.text).length > 0)
    // An untouched template sheet (nothing filled in) is not a system.
    if (filled.length === 0) continue
    const sheetProblems: FormProblem[] = []
    const get = (field: SystemField | 'department') => values.get(field)
    const labelOfField = (field: SystemField) => SYSTEM_FIELDS.find((f) => f.field === field)!.label
    const read = <T>(field: SystemField, reader: (text: string, cell: GridCell) => Read<T>, fallback: T): T => {
      const v = get(field)
      const spec = SYSTEM_FIELDS.find((f) => f.field === field)!
      if (!v || v.text === '') {
        if (spec.required) sheetProblems.push(problemAt(v?.at ?? { sheet: grid.name, row: 0, column: '' }, spec.label, v ? '缺少必填项' : `找不到「${spec.label}」一栏`))
        return fallback
      }
      const r = reader(v.text, v.cell)
      if (!r.ok) {
        sheetProblems.push(problemAt(v.at, labelOfField(field), r.message))
        return fallback
      }
      return r.value
    }

    const deptValue = get('department')
    let deptId = departmentId
    if (deptValue && deptValue.text !== '') {
      const named = ctx.department(deptValue.text)
      if (!named) sheetProblems.push(problemAt(deptValue.at, DEPARTMENT_LABEL, `未知的部门${quote(deptValue.text)}`))
      else if (departmentId !== null && named.id !== departmentId) {
        sheetProblems.push(problemAt(deptValue.at, DEPARTMENT_LABEL, `填报单位${quote(deptValue.text)}与本次填报的部门「${ctx.departmentById(departmentId)?.name}」不一致`))
      } else deptId = named.id
    } else if (departmentId === null) {
      sheetProblems.push(problemAt({ sheet: grid.name, row: 0, column: '' }, DEPARTMENT_LABEL, '未填写填报单位，也未选择填报部门'))
    }

    const text = (field: SystemField) => get(field)?.text ?? ''
    const name = read('name', (t) => ({ ok: true, value: t }), '')
    const sharesData = read('sharesData', readYesNo, false)
    const sharingModes = read('sharingModes', (t) => readEnumSet(SHARING_MODES, t), [])
    if (sharesData && sharingModes.length === 0 && !sheetProblems.some((p) => p.field === '提供数据方式')) {
      sheetProblems.push(problemAt(get('sharingModes')?.at, '提供数据方式', '已对外提供数据为「是」时，须填写提供数据方式'))
    }
    const networks = read('networks', (t) => readEnumSet(NETWORKS, t), [])
    if (networks.length === 0 && get('networks')?.text && !sheetProblems.some((p) => p.field === '网络类型')) {
      sheetProblems.push(problemAt(get('networks')?.at, '网络类型', '未勾选任何网络类型'))
    }
    const draft: SystemDraft = {
      departmentId: deptId ?? 0,
      name,
      buildLevel: read('buildLevel', (t) => readEnum(BUILD_LEVELS, t), 'district'),
      builder: text('builder'),
      operator: text('operator'),
      deployment: read('deployment', (t) => readEnum(DEPLOYMENTS, t), 'own'),
      runStatus: read('runStatus', (t) => readEnum(RUN_STATUSES, t), 'maintained'),
      securityLevel: read('securityLevel', (t) => readEnum(SECURITY_LEVELS, t), 'unrated'),
      sharesData,
      sharingModes,
      networks,
      reviewer: text('reviewer'),
      filler: text('filler'),
      phone: read('phone', (t) => readPhone(t), ''),
      filledAt: read<string | null>('filledAt', (t, cell) => readDate(cell.date ?? cell.number ?? t), null),
      at: get('name')?.at,
    }
    if (name !== '' && deptId !== null) {
      const key = `${deptId}\u0000${nameKey(name)}`
      const first = seen.get(key)
      if (first) sheetProblems.push(problemAt(draft.at, '系统名称', `系统名称${quote(name)}重复（工作表「${first.sheet}」已填报同名系统）`))
      else seen.set(key, draft.at!)
    }
    problems.push(...sheetProblems)
    drafts.push(draft)
  }
  if (formSheets > 0 && drafts.length === 0) {
    problems.push({ sheet: null, row: null, column: null, field: '系统名称', message: '表格中没有填写任何系统；如本部门确无系统，请在部门页使用“无系统”反馈' })
  }
  if (formSheets === 0) {
    problems.push({ sheet: null, row: null, column: null, field: '系统名称', message: `文件中没有《城市安全业务系统调研表》（找不到「系统名称」一栏）；请使用下载的模板填写` })
  }
  const departmentIds = [...new Set(drafts.map((d) => d.departmentId).filter((id) => id > 0))]
  if (departmentId !== null && !departmentIds.includes(departmentId)) departmentIds.push(departmentId)
  return { drafts, problems, departmentIds }
}

/** The value a system field is written with in the form (the Chinese labels, several joined by 、). */
export function systemFieldText(s: Omit<SystemDraft, 'departmentId'>, field: SystemField): string {
  switch (field) {
    case 'name': return s.name
    case 'buildLevel': return labelOf(BUILD_LEVELS, s.buildLevel)
    case 'builder': return s.builder
    case 'operator': return s.operator
    case 'deployment': return labelOf(DEPLOYMENTS, s.deployment)
    case 'runStatus': return labelOf(RUN_STATUSES, s.runStatus)
    case 'securityLevel': return labelOf(SECURITY_LEVELS, s.securityLevel)
    case 'sharesData': return s.sharesData ? '是' : '否'
    case 'sharingModes': return inOrder(SHARING_MODES, s.sharingModes).join('、')
    case 'networks': return inOrder(NETWORKS, s.networks).join('、')
    case 'reviewer': return s.reviewer
    case 'filler': return s.filler
    case 'phone': return s.phone
    case 'filledAt': return formDate(s.filledAt)
  }
}
