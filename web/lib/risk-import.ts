import { RISK_LEVELS, type RiskLevel } from '../../server/domain/enums.js'

/**
 * The 风险评估导入表's upload as the 风险分级 page words it, as pure functions: which files may be
 * chosen, the counts by level, and what a refusal or an import says.
 */

/** The file inputs' accept list: the template as saved by Excel, or as CSV. */
export const ASSESSMENT_FILE_ACCEPT = '.xlsx,.csv'

/** Checks the chosen file's type before uploading; the problem in Chinese, or null. */
export function assessmentFileProblem(fileName: string): string | null {
  return /\.(xlsx|csv)$/i.test(fileName) ? null : `「${fileName}」不是 .xlsx 或 .csv 文件：请上传填写好的《风险评估导入表》（Excel 或 CSV）`
}

export interface LevelCount { code: RiskLevel; label: string; color: string; count: number }

/** The assessments by level, most severe first, every level listed (a 0 too). */
export function levelCounts(byLevel: Partial<Record<RiskLevel, number>>): LevelCount[] {
  return RISK_LEVELS.map((l) => ({ code: l.code, label: l.label, color: l.color, count: byLevel[l.code] ?? 0 }))
}

/** Said when the file has problems: nothing is imported until every row is right. */
export function importRefusalText(problemCount: number, listed: number): string {
  const more = problemCount > listed ? `（仅列出前 ${listed} 处）` : ''
  return `共 ${problemCount} 处问题${more}。改正之前不会导入任何评估：请按行号修改文件后重新选择。`
}

/** The confirm button's words. */
export const confirmLabel = (assessments: number) => `确认导入 ${assessments} 条评估`

/** Said after an import: how many, by level, and how many points changed level. */
export function importedText(s: { assessments: number; byLevel: Partial<Record<RiskLevel, number>>; changed: number }): string {
  const levels = levelCounts(s.byLevel).filter((l) => l.count > 0).map((l) => `${l.label} ${l.count}`).join('、')
  return `已导入 ${s.assessments} 条评估${levels ? `（${levels}）` : ''}，${s.changed ? `${s.changed} 个风险点等级发生变化` : '没有风险点等级发生变化'}。`
}
