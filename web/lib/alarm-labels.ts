import {
  ALARM_ACTIONS, ALARM_KINDS, ALARM_LEVELS, ALARM_STATUSES, CHANNEL_BY_CODE, SLA_STEPS,
} from '../../server/domain/monitoring.js'
import type { SlaClock } from '../../server/domain/monitoring.js'
import { ApiError } from '../api/client.js'
import { HAS_CHINESE, translateMessage, type MessageTable } from './validation-words.js'
import { formatDateTime } from './format.js'

/**
 * How the 告警中心 words an alarm: levels, statuses, the steps of its timeline, its reading against
 * the threshold, its SLA clocks, and the server's refusals — in Chinese, as pure functions.
 */

const labelIn = (table: readonly { code: string; label: string }[], code: string | null | undefined) => table.find((t) => t.code === code)?.label ?? code ?? ''

export const levelLabel = (code: string) => labelIn(ALARM_LEVELS, code)
export const levelColor = (code: string) => ALARM_LEVELS.find((l) => l.code === code)?.color ?? '#94a3b8'
export const statusLabel = (code: string) => labelIn(ALARM_STATUSES, code)
export const kindLabel = (code: string) => labelIn(ALARM_KINDS, code)
export const channelLabel = (code: string) => CHANNEL_BY_CODE.get(code)?.label ?? code
export const channelUnit = (code: string) => CHANNEL_BY_CODE.get(code)?.unit ?? ''

/** What the system records by itself on an alarm's timeline. */
const SYSTEM_STEPS: Record<string, string> = {
  raise: '触发告警',
  merge: '再次告警（合并）',
  recover: '监测值恢复',
  escalate: '超时上报',
}
/** A step of the timeline: the loop's actions by their labels, the system's own steps in words. */
export const stepLabel = (action: string) => SYSTEM_STEPS[action] ?? labelIn(ALARM_ACTIONS, action)
export const isSystemStep = (action: string) => action in SYSTEM_STEPS
export const actionNeedsNote = (action: string) => ALARM_ACTIONS.some((a) => a.code === action && a.note)

/** 12.5, 0.08, 1,200: as many decimals as the number has, at most three. */
export function formatValue(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '—'
  return Number(v.toFixed(3)).toLocaleString('zh-CN', { maximumFractionDigits: 3 })
}

/** The reading that raised (or last joined) an alarm, and the threshold it crossed. */
export function readingText(a: { kind: string; value: number | null; threshold: number | null; unit: string }): { value: string; threshold: string } {
  if (a.kind === 'silence') return { value: '传感器离线', threshold: a.threshold === null ? '' : `超过 ${formatValue(a.threshold)} 分钟未上报` }
  return { value: `${formatValue(a.value)} ${a.unit}`.trim(), threshold: a.threshold === null ? '' : `阈值 ${formatValue(a.threshold)} ${a.unit}`.trim() }
}

/** 8分钟, 1小时5分钟, 2天3小时. */
export function durationText(ms: number): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000))
  if (minutes < 60) return `${minutes}分钟`
  if (minutes < 1440) return `${Math.floor(minutes / 60)}小时${minutes % 60 ? `${minutes % 60}分钟` : ''}`
  const hours = Math.floor((minutes % 1440) / 60)
  return `${Math.floor(minutes / 1440)}天${hours ? `${hours}小时` : ''}`
}

export type ClockTone = 'done' | 'late' | 'running' | 'overdue'

/** One SLA clock as of `now`: done in time, done late, still running, or overdue. */
export function clockState(clock: SlaClock, now: number): { tone: ClockTone; text: string } {
  const due = Date.parse(clock.due)
  if (clock.doneAt) {
    const late = Date.parse(clock.doneAt) - due
    return late > 0 ? { tone: 'late', text: `超时 ${durationText(late)} 完成` } : { tone: 'done', text: '按时完成' }
  }
  if (clock.overdue || now > due) return { tone: 'overdue', text: `已超时 ${durationText(now - due)}` }
  return { tone: 'running', text: `剩余 ${durationText(due - now)}` }
}

export const slaStepLabel = (code: string) => labelIn(SLA_STEPS, code)

/**
 * The SLA column of the alarm list: the steps that ran out (red), 已上报 when the bureau was told,
 * otherwise the next clock that is running, or whether the loop kept its times.
 */
export function slaBrief(a: { status: string; clocks: readonly SlaClock[]; escalated: readonly string[] }, now: number): { tone: ClockTone | 'none' | 'escalated'; text: string }[] {
  if (!a.clocks.length) return [{ tone: 'none', text: a.status === 'false-alarm' ? '—' : '未推送' }]
  const states = a.clocks.map((c) => ({ c, s: clockState(c, now) }))
  const out: { tone: ClockTone | 'escalated'; text: string }[] = states.filter((x) => x.s.tone === 'overdue').map((x) => ({ tone: 'overdue', text: `${x.c.label}超时` }))
  if (a.escalated.length) out.push({ tone: 'escalated', text: '已上报' })
  if (out.length) return out
  const running = states.find((x) => x.s.tone === 'running')
  if (running) return [{ tone: 'running', text: `${running.c.label}${running.s.text}` }]
  return states.some((x) => x.s.tone === 'late') ? [{ tone: 'late', text: '超时完成' }] : [{ tone: 'done', text: '按时完成' }]
}

export const dueText = (iso: string) => formatDateTime(iso)

// ---- The server's refusals, in Chinese ----


/** The server's validation messages (server/monitoring/routes.ts, server/http/validate.ts) in Chinese. */
const MESSAGES: MessageTable = [
  [/a threshold rule needs a threshold/, '超限规则须填写阈值'],
  [/a silence rule needs its minutes/, '离线规则须填写离线时长（分钟）'],
  [/must not be above the threshold/, '不能高于阈值（回差：监测值须回落到恢复值才解除告警）'],
  [/must not be below the threshold/, '不能低于阈值（回差：监测值须回升到恢复值才解除告警）'],
  [/not both/, '只能限定到一个子类或一个监测点，不能同时限定'],
  [/the clocks must not decrease/, '时限须逐级不减：签收 ≤ 首报 ≤ 书面报告'],
  [/is not a monitoring point/, '不是监测点'],
  [/unknown sub-category/, '子类不存在'],
  [/must be a whole number/, '须为整数'],
  [/must be positive/, '须为正数'],
  [/must not be negative/, '不能为负数'],
  [/must be at least (\d+)/, (m) => `不能小于 ${m[1]}`],
  [/must be at most (\d+)/, (m) => `不能大于 ${m[1]}`],
  [/at most (\d+) characters/, (m) => `不能超过 ${m[1]} 个字`],
  [/must be a (finite )?number|expected number/i, '须为数字'],
  [/must be one of|must be (above or below|red, orange|threshold or silence)/, '取值无效'],
]

/** Field names of the rule and SLA forms, for naming what a 400 is about. */
const FIELDS: Record<string, string> = {
  threshold: '阈值', clearValue: '恢复值', minDurationS: '持续时间', silenceMinutes: '离线时长', featureId: '监测点',
  subcategoryCode: '子类', level: '级别', direction: '方向', enabled: '启用', note: '说明', channel: '监测项', kind: '规则类型',
  ...Object.fromEntries(SLA_STEPS.map((s) => [s.code, `${s.label}时限`])),
  ...Object.fromEntries(ALARM_LEVELS.map((l) => [l.code, l.label])),
}

function fieldName(parameter: string): string {
  return parameter.split('.').map((p) => FIELDS[p] ?? p).join('·')
}

const translate = (message: string) => translateMessage(message, MESSAGES)

/** A refused form (400): each problem with the field it is about, e.g. "恢复值：不能高于阈值…". */
function invalidText(e: ApiError): string {
  const issues = (e.details.issues as { parameter: string; message: string }[] | undefined) ?? []
  const list = issues.length ? issues : [{ parameter: String(e.details.parameter ?? ''), message: e.message }]
  return list.map((i) => {
    const zh = translate(i.message)
    return i.parameter && !HAS_CHINESE.test(i.message) ? `${fieldName(i.parameter)}：${zh}` : zh
  }).join('；')
}

/**
 * A failed call in words a user can act on. The server's own message is kept where it is already
 * Chinese (the loop's refusals say which status or role it takes); the rest is said by status.
 */
export function problemText(e: unknown): string {
  if (!(e instanceof ApiError)) {
    if ((e as Error)?.name === 'AbortError') return '请求已取消'
    return '无法连接服务器，请检查网络后重试'
  }
  switch (e.status) {
    case 400: return invalidText(e)
    case 401: return '登录已失效，请重新登录'
    case 403: return `无权操作：${HAS_CHINESE.test(e.message) ? e.message : '您的角色或所属部门不能执行此操作'}`
    case 404: return '告警不存在，或您无权查看'
    case 409: return `操作未完成：${HAS_CHINESE.test(e.message) ? e.message : '告警状态已变化，请刷新后重试'}`
    case 429: return '操作过于频繁，请稍后再试'
    case 503: return '服务器繁忙，请稍后重试'
    default: return e.status >= 500 ? `服务器出错（${e.status}），请稍后重试` : translate(e.message)
  }
}
