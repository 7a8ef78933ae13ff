import { severity } from '../../../server/domain/monitoring.js'
import type { AlarmLevel, AlarmRule } from '../../../server/domain/monitoring.js'

/**
 * An alarm rule as the administrator edits it: numbers as the text of their inputs, turned back into
 * the body of POST/PUT /api/monitoring/rules. The server checks the rest (hysteresis, targets) and its
 * 400 is shown next to the form.
 */
export interface RuleDraft {
  kind: 'threshold' | 'silence'
  level: AlarmLevel
  direction: 'above' | 'below'
  threshold: string
  clearValue: string
  minDurationS: string
  silenceMinutes: string
  enabled: boolean
  /** all: every point of the channel; subcategory: the points of one sub-category; point: one point. */
  scope: 'all' | 'subcategory' | 'point'
  subcategoryCode: string
  featureId: string
  note: string
}

export type RuleBody = Pick<AlarmRule, 'kind' | 'channel' | 'subcategoryCode' | 'featureId' | 'level' | 'direction' | 'threshold' | 'clearValue' | 'minDurationS' | 'silenceMinutes' | 'enabled' | 'note'>

const text = (n: number | null) => (n === null ? '' : String(n))

export function draftOf(r: AlarmRule): RuleDraft {
  return {
    kind: r.kind, level: r.level, direction: r.direction, threshold: text(r.threshold), clearValue: text(r.clearValue),
    minDurationS: String(r.minDurationS), silenceMinutes: text(r.silenceMinutes), enabled: r.enabled,
    scope: r.featureId !== null ? 'point' : r.subcategoryCode !== null ? 'subcategory' : 'all',
    subcategoryCode: r.subcategoryCode ?? '', featureId: text(r.featureId), note: r.note,
  }
}

export function newDraft(): RuleDraft {
  return {
    kind: 'threshold', level: 'yellow', direction: 'above', threshold: '', clearValue: '', minDurationS: '0', silenceMinutes: '30', enabled: true,
    scope: 'all', subcategoryCode: '', featureId: '', note: '',
  }
}

/** Whether two drafts say the same (a number input's v-model hands back numbers, the draft starts with text). */
export function sameDraft(a: RuleDraft, b: RuleDraft): boolean {
  const norm = (d: RuleDraft) => JSON.stringify(Object.entries(d).map(([k, v]) => [k, typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : v]))
  return norm(a) === norm(b)
}

/** An input's number: empty is null; what is not a number is said in words. */
function numberOf(s: string | number, field: string, problems: string[]): number | null {
  // v-model on a number input may hand back a number.
  const t = String(s).trim()
  if (t === '') return null
  const n = Number(t)
  if (!Number.isFinite(n)) problems.push(`${field}：须为数字`)
  return Number.isFinite(n) ? n : null
}

/** The body for the server, or the problems the form can tell without asking it. */
export function bodyOf(channel: string, d: RuleDraft): { body: RuleBody } | { problems: string[] } {
  const problems: string[] = []
  const threshold = numberOf(d.threshold, '阈值', problems)
  const clearValue = numberOf(d.clearValue, '恢复值', problems)
  const minDurationS = numberOf(d.minDurationS, '持续时间', problems) ?? 0
  const silenceMinutes = numberOf(d.silenceMinutes, '离线时长', problems)
  const featureId = d.scope === 'point' ? numberOf(d.featureId, '监测点编号', problems) : null
  if (d.scope === 'point' && featureId === null && !problems.length) problems.push('监测点编号：请填写')
  if (d.scope === 'subcategory' && !d.subcategoryCode) problems.push('子类：请选择')
  if (d.kind === 'threshold' && threshold === null && !problems.some((p) => p.startsWith('阈值'))) problems.push('阈值：超限规则须填写阈值')
  if (d.kind === 'silence' && silenceMinutes === null && !problems.some((p) => p.startsWith('离线时长'))) problems.push('离线时长：离线规则须填写离线时长（分钟）')
  if (problems.length) return { problems }
  const silence = d.kind === 'silence'
  return {
    body: {
      kind: d.kind, channel: channel as AlarmRule['channel'], level: d.level, direction: d.direction, enabled: d.enabled, note: d.note.trim(),
      subcategoryCode: d.scope === 'subcategory' ? d.subcategoryCode : null, featureId,
      threshold: silence ? null : threshold, clearValue: silence ? null : clearValue, minDurationS: silence ? 0 : minDurationS,
      silenceMinutes: silence ? silenceMinutes : null,
    },
  }
}

/** A channel's rules in reading order: the general threshold rules most severe first, the narrowed ones, then the silence rules. */
export function sortRules<T extends Pick<AlarmRule, 'id' | 'kind' | 'level' | 'subcategoryCode' | 'featureId'>>(rules: readonly T[]): T[] {
  const rank = (r: T) => (r.kind === 'silence' ? 2 : r.subcategoryCode !== null || r.featureId !== null ? 1 : 0)
  return [...rules].sort((a, b) => rank(a) - rank(b) || severity(b.level) - severity(a.level) || a.id - b.id)
}
