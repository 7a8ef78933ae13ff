import ExcelJS from 'exceljs'
import { FEATURE_KINDS, RISK_LEVELS, labelOf } from '../domain/enums.js'
import { RISK_MODEL_KINDS } from '../domain/risk-grading.js'
import { neutraliseFormula } from '../domain/spreadsheet.js'

/** One row of the 风险清单. */
export interface RegisterRow {
  name: string
  kind: string
  district: string
  lon: number
  lat: number
  subcategory: string
  level: string | null
  likelihood: number | null
  consequence: number | null
  score: number | null
  method: string | null
  override: string | null
  measures: string
  department: string
  assessedAt: string | null
}

/** The register's columns, in the order of the documented layout (README: 风险清单). */
export const REGISTER_COLUMNS = ['序号', '风险点名称', '类型', '所在镇街', '经度', '纬度', '行业类别', '风险等级', '可能性 L', '后果 C', '风险值', '评估方法', '人工调整理由', '管控措施', '责任单位', '最近评估时间'] as const

const chinaTime = (iso: string | null) => (iso ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '')

/**
 * The 风险清单 workbook: a title, the scope and time, then one row per risk point and hazard source,
 * most severe first. Every text cell goes through neutraliseFormula (a name starting with = is text).
 */
export async function registerWorkbook(rows: RegisterRow[], o: { title: string; scope: string; generatedAt: Date }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.created = o.generatedAt
  const ws = wb.addWorksheet('风险清单')
  const text = (s: string | null) => neutraliseFormula(s ?? '')
  ws.addRow([text(o.title)])
  ws.mergeCells(1, 1, 1, REGISTER_COLUMNS.length)
  ws.getRow(1).font = { bold: true, size: 16 }
  ws.addRow(['范围', text(o.scope)])
  ws.addRow(['生成时间', chinaTime(o.generatedAt.toISOString())])
  ws.addRow(['风险点数', rows.length])
  ws.addRow([])
  const header = ws.addRow([...REGISTER_COLUMNS])
  header.font = { bold: true }
  header.eachCell((c) => { c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } } })
  const fills: Record<string, string> = { red: 'FFFFC7CE', orange: 'FFFFE0B2', yellow: 'FFFFF6BF', blue: 'FFDCE8FF' }
  rows.forEach((r, i) => {
    const row = ws.addRow([
      i + 1, text(r.name), labelOf(FEATURE_KINDS, r.kind), text(r.district), Number(r.lon.toFixed(6)), Number(r.lat.toFixed(6)), text(r.subcategory),
      r.level ? labelOf(RISK_LEVELS, r.level) : '未评估', r.likelihood ?? '', r.consequence ?? '', r.score ?? '',
      r.method ? labelOf(RISK_MODEL_KINDS, r.method) : '', text(r.override), text(r.measures), text(r.department), chinaTime(r.assessedAt),
    ])
    if (r.level && fills[r.level]) row.getCell(8).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fills[r.level]! } }
  })
  const widths = [6, 30, 10, 14, 12, 12, 16, 10, 9, 9, 9, 16, 24, 30, 20, 18]
  widths.forEach((w, i) => { ws.getColumn(i + 1).width = w })
  ws.views = [{ state: 'frozen', ySplit: 6 }]
  return Buffer.from(await wb.xlsx.writeBuffer())
}
