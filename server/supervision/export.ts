import ExcelJS from 'exceljs'
import { UPDATE_CYCLES, labelOf } from '../domain/enums.js'
import { neutraliseFormula } from '../domain/spreadsheet.js'
import type { SupervisedResource } from '../domain/types.js'

const DAY = 86_400_000
const HOUR = 3_600_000

/** "3天5小时" / "42分钟": how long a resource is past due, as a follow-up letter would say it. */
function overdueText(ms: number): string {
  if (ms >= DAY) {
    const d = Math.floor(ms / DAY)
    const h = Math.floor((ms % DAY) / HOUR)
    return h ? `${d}天${h}小时` : `${d}天`
  }
  if (ms >= HOUR) return `${Math.floor(ms / HOUR)}小时${Math.floor((ms % HOUR) / 60_000)}分钟`
  return `${Math.max(1, Math.round(ms / 60_000))}分钟`
}

/** A time as people in Chongqing read it: 2026-06-15 12:00. */
function chinaTime(iso: string | null): string {
  if (!iso) return ''
  const t = new Date(Date.parse(iso) + 8 * HOUR)
  return t.toISOString().slice(0, 16).replace('T', ' ')
}

const CHASE_LIST_COLUMNS = ['序号', '部门', '信息系统', '数据资源', '更新周期', '最近更新时间', '应更新时间', '逾期时长', '填报人', '联系电话'] as const

/**
 * The 督办清单 workbook: a title row, the department and the time it was generated, then one row per
 * overdue resource with what the follow-up letter needs. Every text cell goes through neutraliseFormula.
 */
export async function chaseListWorkbook(departmentName: string | null, rows: SupervisedResource[], generatedAt: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.created = generatedAt
  const ws = wb.addWorksheet('督办清单')
  const text = (s: string) => neutraliseFormula(s)
  ws.addRow([text(`数据更新督办清单${departmentName ? `（${departmentName}）` : ''}`)])
  ws.mergeCells(1, 1, 1, CHASE_LIST_COLUMNS.length)
  ws.getRow(1).font = { bold: true, size: 16 }
  ws.addRow(['部门', text(departmentName ?? '全部部门')])
  ws.addRow(['生成时间', chinaTime(generatedAt.toISOString())])
  ws.addRow(['逾期资源数', rows.length])
  ws.addRow([])
  const header = ws.addRow([...CHASE_LIST_COLUMNS])
  header.font = { bold: true }
  header.eachCell((c) => { c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } } })
  rows.forEach((r, i) => {
    ws.addRow([i + 1, text(r.departmentName), text(r.systemName), text(r.name), labelOf(UPDATE_CYCLES, r.updateCycle),
      chinaTime(r.lastUpdatedAt), chinaTime(r.dueAt), overdueText(r.overdueMs), text(r.filler), text(r.phone)])
  })
  const widths = [6, 22, 26, 32, 10, 18, 18, 14, 12, 16]
  widths.forEach((w, i) => { ws.getColumn(i + 1).width = w })
  return Buffer.from(await wb.xlsx.writeBuffer())
}
