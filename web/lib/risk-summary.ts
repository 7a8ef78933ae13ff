import type { RiskLevel } from '../../server/domain/enums.js'
import { RISK_MODEL_KINDS, type Grade, type RiskAssessment, type RiskModel } from '../../server/domain/risk-grading.js'
import { axisScore, lecBands, lecFigures, matrixRows, riskLevelLabel, type LecBand, type LecFigure, type MatrixRow } from './risk-display.js'

/**
 * A point's latest assessment in a few lines, for the map popup: the level, how it was assessed, an
 * override as such, and why — the matrix cell, the LEC figures and band, or the two indicator scores —
 * as a pure function of GET /api/features/:id/assessments' `latest`.
 */

/** The latest assessment as the API gives it: with the model version it used and that version's grade (null when it no longer grades). */
export type LatestAssessment = RiskAssessment & { model: RiskModel; grade: Grade | null }

export interface AxisScore { axis: 'likelihood' | 'consequence'; label: string; total: number | null; step: number | null; stepLabel: string }

export type AssessmentWhy =
  | { kind: 'matrix'; rows: MatrixRow[]; columns: { score: number; label: string }[]; cell: string; score: number }
  | { kind: 'lec'; figures: LecFigure[]; d: number; band: LecBand | null }
  | { kind: 'indicator'; axes: AxisScore[]; cell: string }

export interface AssessmentSummary {
  level: RiskLevel
  levelLabel: string
  /** 风险矩阵 · 默认模型 v2 */
  method: string
  assessedAt: string
  assessor: string
  /** 人工调整：<reason>, and what the model gave. */
  override: { text: string; computed: string } | null
  /** A confirmed alarm nearby raised the likelihood while it lasts. */
  alarm: string | null
  /** The model version no longer grades these inputs: the figures stand, the scores are gone. */
  stale: boolean
  why: AssessmentWhy | null
}

const methodLabel = (kind: string) => RISK_MODEL_KINDS.find((k) => k.code === kind)?.label.replace(/（.*）/, '') ?? kind

/**
 * `scopeLabel` names the model's scope (默认模型, or the sub-category's). The cell is the one that gave
 * the level — the likelihood after an alarm's raise — as the server stored it.
 */
export function assessmentSummary(latest: LatestAssessment, scopeLabel: string): AssessmentSummary {
  const config = latest.model.config
  const inputs = latest.inputs
  const boost = inputs.alarmBoost ?? 0
  let why: AssessmentWhy | null = null
  const matrixScale = config.kind === 'matrix' ? config : config.kind === 'indicator' ? config.matrix : null
  const l = latest.likelihood ?? (inputs.kind === 'matrix' ? inputs.likelihood : null)
  const c = latest.consequence ?? (inputs.kind === 'matrix' ? inputs.consequence : null)
  const cell = matrixScale && l !== null && c !== null
    ? `可能性 ${l}（${matrixScale.likelihood[l - 1]?.label ?? ''}）× 后果 ${c}（${matrixScale.consequence[c - 1]?.label ?? ''}）`
    : ''

  if (config.kind === 'matrix' && inputs.kind === 'matrix') {
    why = {
      kind: 'matrix',
      rows: matrixRows(config, { likelihood: l, consequence: c }),
      columns: config.consequence.map((s) => ({ score: s.score, label: s.label })),
      cell,
      score: latest.score,
    }
  } else if (config.kind === 'lec' && inputs.kind === 'lec') {
    why = { kind: 'lec', figures: lecFigures(config, inputs), d: latest.score, band: lecBands(config.bands, latest.score).find((b) => b.active) ?? null }
  } else if (config.kind === 'indicator' && inputs.kind === 'indicator') {
    const steps = { likelihood: l, consequence: c }
    why = {
      kind: 'indicator',
      axes: (['likelihood', 'consequence'] as const).map((axis) => {
        const step = steps[axis]
        const scale = config.matrix[axis]
        return {
          axis,
          label: axis === 'likelihood' ? '可能性' : '后果',
          total: latest.grade ? axisScore(config, inputs.values, axis) : null,
          step,
          stepLabel: step === null ? '' : scale[step - 1]?.label ?? '',
        }
      }),
      cell,
    }
  }

  return {
    level: latest.level,
    levelLabel: riskLevelLabel(latest.level),
    method: `${methodLabel(latest.model.kind)} · ${scopeLabel} v${latest.model.version}`,
    assessedAt: latest.assessedAt,
    assessor: latest.assessor,
    override: latest.override
      ? { text: `人工调整：${latest.override.reason}`, computed: `按模型计算为${riskLevelLabel(latest.computedLevel)}，调整为${riskLevelLabel(latest.override.level)}` }
      : null,
    alarm: boost ? `附近告警已确认，${config.kind === 'lec' ? 'L 按上调' : '可能性按上调'} ${boost} 级计` : null,
    stale: latest.grade === null,
    why,
  }
}
