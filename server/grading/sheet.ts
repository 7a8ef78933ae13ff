import ExcelJS from 'exceljs'
import { RISK_INDICATORS, RISK_LEVELS, type RiskIndicator, type RiskLevel } from '../domain/enums.js'
import type { AssessmentInputs, RiskModelKind } from '../domain/risk-grading.js'
import { neutraliseFormula, restoreNeutralised } from '../domain/spreadsheet.js'
import { gridOf, type GridCell, type SheetData } from '../forms/grid.js'
import { MAX_BATCH, readLevel, type DraftAssessment, type SheetInputs } from './batch.js'

/**
 * The 风险评估导入表 (README: 风险评估批量导入): one row per risk point or hazard source, under a header
 * row naming the columns. The template lists the points the department may assess, with their latest
 * inputs filled in; a department edits the columns its points' model uses and uploads it back.
 * Columns are found by their header's text (before any bracket), so their order and extra columns do
 * not matter.
 */

export const SHEET_NAME = '风险评估'

/** Header → field; the template writes the bracketed hints, the reader ignores them. */
const COLUMNS: { key: string; header: string; width: number }[] = [
  { key: 'id', header: '要素编号', width: 10 },
  { key: 'name', header: '名称', width: 28 },
  { key: 'department', header: '责任单位', width: 16 },
  { key: 'subcategory', header: '行业类别', width: 16 },
  { key: 'method', header: '评估方法', width: 12 },
  { key: 'current', header: '当前等级', width: 10 },
  { key: 'likelihood', header: '可能性（1–5）', width: 12 },
  { key: 'consequence', header: '后果（1–5）', width: 12 },
  { key: 'l', header: 'L（事故发生的可能性）', width: 12 },
  { key: 'e', header: 'E（暴露于危险环境的频繁程度）', width: 12 },
  { key: 'c', header: 'C（事故后果）', width: 12 },
  ...RISK_INDICATORS.map((i) => ({ key: `values.${i.code}`, header: `${i.label}（0–100）`, width: 11 })),
  { key: 'overrideLevel', header: '调整等级', width: 10 },
  { key: 'overrideReason', header: '调整理由', width: 24 },
  { key: 'date', header: '评估日期', width: 12 },
]

const bare = (header: string) => header.replace(/[（(].*$/s, '').trim()
const KEY_OF = new Map(COLUMNS.map((c) => [bare(c.header), c.key]))
const METHOD_LABEL: Record<RiskModelKind, string> = { matrix: '风险矩阵', lec: 'LEC', indicator: '指标加权' }
const LEVEL_LABEL = new Map(RISK_LEVELS.map((l) => [l.code, l.label]))

export interface TemplateRow {
  id: number
  name: string
  department: string
  subcategory: string
  method: RiskModelKind
  level: RiskLevel | null
  /** The latest assessment's inputs, filled in for the department to review. */
  inputs: AssessmentInputs | null
}

/** The template: an instructions sheet, then the points with their latest inputs. */
export async function assessmentTemplate(rows: readonly TemplateRow[], o: { scope: string; generatedAt: Date; truncated: boolean }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.created = o.generatedAt
  const ws = wb.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] })
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }))
  ws.getRow(1).font = { bold: true }
  ws.getRow(1).alignment = { wrapText: true, vertical: 'middle' }
  for (const r of rows) {
    const cells: Record<string, string | number | null> = {
      id: r.id, name: neutraliseFormula(r.name), department: neutraliseFormula(r.department), subcategory: neutraliseFormula(r.subcategory),
      method: METHOD_LABEL[r.method], current: r.level ? LEVEL_LABEL.get(r.level) ?? '' : '未评估',
    }
    const i = r.inputs
    if (i?.kind === 'matrix' && r.method === 'matrix') Object.assign(cells, { likelihood: i.likelihood, consequence: i.consequence })
    if (i?.kind === 'lec' && r.method === 'lec') Object.assign(cells, { l: i.l, e: i.e, c: i.c })
    if (i?.kind === 'indicator' && r.method === 'indicator') for (const [k, v] of Object.entries(i.values)) cells[`values.${k}`] = v ?? null
    ws.addRow(cells)
  }
  const help = wb.addWorksheet('填写说明')
  help.getColumn(1).width = 110
  const lines = [
    '风险评估批量导入表 — 填写说明',
    `范围：${o.scope}；生成时间：${new Date(o.generatedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')}`,
    ...(o.truncated ? [`本表只列出前 ${MAX_BATCH.toLocaleString('zh-CN')} 个风险点，请按部门分别下载。`] : []),
    '',
    '1. 每行一个风险点或危险源；“要素编号”和“名称”用于核对，请勿修改。不需要重新评估的行可以删除，上传后只评估表中留下的行。',
    '2. 按“评估方法”填写对应的列：风险矩阵填“可能性”和“后果”（1–5 的整数）；LEC 填 L、E、C（取值见系统管理 → 评估模型中的取值表）；指标加权填各指标（0–100）。',
    '3. 如需人工调整等级，在“调整等级”填写 重大/较大/一般/低（或 红/橙/黄/蓝），并在“调整理由”写明理由（至少 4 个字）。调整会在地图和风险清单中标明。',
    '4. “评估日期”可不填（按上传时间记）；补录时填写实际评估日期，不得早于该点最近一次评估。',
    '5. 上传时先预览：表中任何一行有误，都不会导入任何评估，请按提示改正后重新上传。',
    '6. 已导入的评估不会删除：每次评估都保留在风险点的评估历史中，最新一次决定地图上的等级。',
  ]
  for (const l of lines) help.addRow([l])
  help.getRow(1).font = { bold: true, size: 14 }
  return Buffer.from(await wb.xlsx.writeBuffer())
}

export class SheetError extends Error {}

const numberOf = (c: GridCell): number | undefined | 'bad' => {
  if (c.number !== undefined) return c.number
  const t = c.text.trim()
  if (t === '') return undefined
  const n = Number(t)
  return Number.isFinite(n) ? n : 'bad'
}

/** A date cell (or 2026-06-15 / 2026/6/15) as the start of that day in China's time, ISO. */
function dateOf(c: GridCell): string | null | 'bad' {
  if (c.date) return new Date(Date.UTC(c.date.getUTCFullYear(), c.date.getUTCMonth(), c.date.getUTCDate()) - 8 * 3_600_000).toISOString()
  const t = c.text.trim()
  if (t === '') return null
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t)
  if (!m) return 'bad'
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const ms = Date.UTC(y, mo - 1, d)
  if (new Date(ms).getUTCDate() !== d) return 'bad'
  return new Date(ms - 8 * 3_600_000).toISOString()
}

/**
 * The rows of an uploaded 风险评估 sheet as drafts, or the problems of rows that cannot be read
 * (numbers that are not numbers, an unknown level, an unreadable date). Throws SheetError when the
 * file has no such sheet at all.
 */
export function draftsOfSheets(sheets: readonly SheetData[]): { drafts: DraftAssessment[]; problems: { at: string; featureId: number | null; problem: string }[] } {
  // The sheet whose header row (within its first ten rows) names 要素编号.
  for (const sheet of sheets) {
    const grid = gridOf(sheet)
    for (let hr = 1; hr <= Math.min(10, grid.rowCount); hr++) {
      const columns = new Map<string, number>()
      for (let col = 1; col <= grid.columnCount; col++) {
        const key = KEY_OF.get(bare(grid.cell(hr, col).text))
        if (key && !columns.has(key)) columns.set(key, col)
      }
      if (!columns.has('id')) continue
      return readRows(grid, hr, columns)
    }
  }
  throw new SheetError(`文件中没有“要素编号”列：请使用下载的《风险评估导入表》模板（工作表“${SHEET_NAME}”）填写后上传`)
}

function readRows(grid: ReturnType<typeof gridOf>, header: number, columns: Map<string, number>) {
  const drafts: DraftAssessment[] = []
  const problems: { at: string; featureId: number | null; problem: string }[] = []
  const cell = (row: number, key: string) => (columns.has(key) ? grid.cell(row, columns.get(key)!) : { text: '' })
  const lastRow = grid.rowCount
  if (lastRow - header > MAX_BATCH) throw new SheetError(`表中有 ${(lastRow - header).toLocaleString('zh-CN')} 行，一次最多导入 ${MAX_BATCH.toLocaleString('zh-CN')} 行：请按部门或行业类别分批上传`)
  for (let row = header + 1; row <= lastRow; row++) {
    const at = `第 ${row} 行`
    const idCell = cell(row, 'id')
    // A row with nothing in the columns read is skipped (a blank line, a note under the table).
    if (idCell.text.trim() === '' && !COLUMNS.some((c) => c.key !== 'id' && columns.has(c.key) && cell(row, c.key).text.trim() !== '')) continue
    const id = numberOf(idCell)
    if (id === undefined || id === 'bad' || !Number.isInteger(id) || id <= 0) {
      problems.push({ at, featureId: null, problem: `要素编号“${idCell.text.trim()}”不是有效的编号` })
      continue
    }
    const inputs: SheetInputs = { kind: 'sheet', values: {} }
    let bad: string | null = null
    for (const key of ['likelihood', 'consequence', 'l', 'e', 'c', ...RISK_INDICATORS.map((i) => `values.${i.code}`)]) {
      const v = numberOf(cell(row, key))
      if (v === 'bad') {
        bad = `“${bare(COLUMNS.find((c) => c.key === key)!.header)}”的“${cell(row, key).text.trim()}”不是数值`
        break
      }
      if (v === undefined) continue
      if (key.startsWith('values.')) inputs.values[key.slice(7) as RiskIndicator] = v
      else inputs[key as 'likelihood'] = v
    }
    const levelText = cell(row, 'overrideLevel').text.trim()
    const reason = restoreNeutralised(cell(row, 'overrideReason').text).trim()
    let override: DraftAssessment['override'] = null
    if (!bad && levelText) {
      const level = readLevel(levelText)
      if (!level) bad = `调整等级“${levelText}”应为 重大、较大、一般 或 低`
      else override = { level, reason }
    } else if (!bad && reason) bad = '填写了调整理由但没有调整等级'
    const date = dateOf(cell(row, 'date'))
    if (!bad && date === 'bad') bad = `评估日期“${cell(row, 'date').text.trim()}”应为 2026-06-15 这样的日期`
    if (bad) {
      problems.push({ at, featureId: id, problem: bad })
      continue
    }
    drafts.push({ at, featureId: id, name: columns.has('name') ? restoreNeutralised(cell(row, 'name').text) : undefined, inputs, override, assessedAt: date === 'bad' ? null : date })
  }
  if (!drafts.length && !problems.length) throw new SheetError('表中没有要导入的行：请在“要素编号”下逐行填写风险点的评估')
  return { drafts, problems }
}
