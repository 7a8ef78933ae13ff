import type { RiskLevel, Role } from './enums.js'

/**
 * Live monitoring (SPEC §10): the sensor channels a monitoring point may carry, the alarm levels, the
 * closed loop an alarm follows from 待研判 to 已办结 and who may take each step, and the SLA clocks.
 * Pure tables and rules, shared by the server and the web app.
 */

/** Sensor channels: what a monitoring point measures, in which unit, and the default rules' values. */
export const SENSOR_CHANNELS = [
  { code: 'gas', label: '可燃气体浓度', unit: '%LEL', min: 0, max: 100 },
  { code: 'pressure', label: '管网压力', unit: 'MPa', min: 0, max: 10 },
  { code: 'water-level', label: '水位/液位', unit: 'm', min: -50, max: 300 },
  { code: 'displacement', label: '位移', unit: 'mm', min: -5000, max: 5000 },
  { code: 'strain', label: '应变', unit: 'με', min: -10000, max: 10000 },
  { code: 'rainfall', label: '雨强', unit: 'mm/h', min: 0, max: 500 },
  { code: 'smoke', label: '烟雾浓度', unit: '%obs/m', min: 0, max: 100 },
  { code: 'temperature', label: '温度', unit: '℃', min: -60, max: 1500 },
  { code: 'residual-current', label: '剩余电流', unit: 'mA', min: 0, max: 100000 },
] as const
export type SensorChannel = (typeof SENSOR_CHANNELS)[number]['code']
export const CHANNEL_BY_CODE: ReadonlyMap<string, (typeof SENSOR_CHANNELS)[number]> = new Map(SENSOR_CHANNELS.map((c) => [c.code, c]))

/** 一级–四级 alarms and the risk colours they are drawn in (一级 is the most severe). */
export const ALARM_LEVELS = [
  { code: 'red', label: '一级', color: '#e02020' },
  { code: 'orange', label: '二级', color: '#ff8c1a' },
  { code: 'yellow', label: '三级', color: '#f5d000' },
  { code: 'blue', label: '四级', color: '#2f7fff' },
] as const satisfies readonly { code: RiskLevel; label: string; color: string }[]
export type AlarmLevel = (typeof ALARM_LEVELS)[number]['code']

/** Higher is more severe: blue 1 … red 4; none 0. */
export function severity(level: AlarmLevel | null | undefined): number {
  return level === 'red' ? 4 : level === 'orange' ? 3 : level === 'yellow' ? 2 : level === 'blue' ? 1 : 0
}
export const moreSevere = (a: AlarmLevel | null, b: AlarmLevel | null): AlarmLevel | null => (severity(a) >= severity(b) ? a : b)

export const ALARM_KINDS = [
  { code: 'threshold', label: '超限告警' },
  { code: 'silence', label: '离线告警' },
] as const
export type AlarmKind = (typeof ALARM_KINDS)[number]['code']

/** The closed loop (预警 → 研判 → 处置调度 → 反馈 → 办结). */
export const ALARM_STATUSES = [
  { code: 'pending', label: '待研判' },
  { code: 'false-alarm', label: '误报' },
  { code: 'confirmed', label: '已确认' },
  { code: 'pushed', label: '已推送' },
  { code: 'signed', label: '已签收' },
  { code: 'handling', label: '处置中' },
  { code: 'reported', label: '已反馈' },
  { code: 'closed', label: '已办结' },
] as const
export type AlarmStatus = (typeof ALARM_STATUSES)[number]['code']
/** Statuses in which an alarm is over: a new alarm at its point opens a new one. */
export const ENDED_STATUSES: readonly AlarmStatus[] = ['false-alarm', 'closed']
export const isOpenStatus = (s: AlarmStatus) => !ENDED_STATUSES.includes(s)

/** Who takes a step: the bureau (区大数据局: administrators and analysts) or the owning department (its reporters; administrators too). */
export type Actor = 'bureau' | 'department'

/** Each step of the loop: from which status, to which, by whom, and whether a note is required. */
export const ALARM_ACTIONS = [
  { code: 'dismiss', label: '研判为误报', from: ['pending'], to: 'false-alarm', by: 'bureau', note: true },
  { code: 'confirm', label: '研判确认', from: ['pending'], to: 'confirmed', by: 'bureau', note: false },
  { code: 'push', label: '推送至责任单位', from: ['confirmed'], to: 'pushed', by: 'bureau', note: false },
  { code: 'sign', label: '签收', from: ['pushed'], to: 'signed', by: 'department', note: false },
  { code: 'handle', label: '开始处置（首报）', from: ['signed'], to: 'handling', by: 'department', note: true },
  { code: 'report', label: '反馈处置结果（书面报告）', from: ['handling'], to: 'reported', by: 'department', note: true },
  { code: 'close', label: '办结', from: ['reported'], to: 'closed', by: 'department', note: false },
] as const satisfies readonly { code: string; label: string; from: readonly AlarmStatus[]; to: AlarmStatus; by: Actor; note: boolean }[]
export type AlarmAction = (typeof ALARM_ACTIONS)[number]['code']
export const ACTION_BY_CODE: ReadonlyMap<string, (typeof ALARM_ACTIONS)[number]> = new Map(ALARM_ACTIONS.map((a) => [a.code, a]))

/** What a viewer is, for the loop: signed-in users only (wall screens and visitors watch). */
export interface AlarmActor {
  role: Role
  departmentId: number | null
}

/** The bureau: administrators and analysts (研判, 推送; they see every department's alarms). */
export const isBureau = (a: AlarmActor) => a.role === 'admin' || a.role === 'analyst'

/**
 * Whether `actor` may take `action` on an alarm of `departmentId` in `status`: the bureau's steps by
 * the bureau, the department's by the owning department's reporters; administrators may take any step
 * (to stand in when a department cannot).
 */
export function mayTakeAction(actor: AlarmActor, action: AlarmAction, alarm: { status: AlarmStatus; departmentId: number }): boolean {
  const a = ACTION_BY_CODE.get(action)
  if (!a || !(a.from as readonly string[]).includes(alarm.status)) return false
  if (actor.role === 'admin') return true
  if (a.by === 'bureau') return actor.role === 'analyst'
  return actor.role === 'reporter' && actor.departmentId === alarm.departmentId
}

/** The actions `actor` may take now on an alarm. */
export function actionsFor(actor: AlarmActor, alarm: { status: AlarmStatus; departmentId: number }): AlarmAction[] {
  return ALARM_ACTIONS.filter((a) => mayTakeAction(actor, a.code, alarm)).map((a) => a.code)
}

/**
 * The SLA clocks of a level, in minutes from the push to the department: sign for it, first report
 * (处置中), written report (已反馈). The defaults follow the practice of lifeline platforms; the bureau
 * sets its own under 系统管理.
 */
export interface SlaMinutes { sign: number; firstReport: number; writtenReport: number }
export type SlaTable = Record<AlarmLevel, SlaMinutes>
export const DEFAULT_SLA: SlaTable = {
  red: { sign: 10, firstReport: 30, writtenReport: 60 },
  orange: { sign: 15, firstReport: 60, writtenReport: 120 },
  yellow: { sign: 30, firstReport: 120, writtenReport: 240 },
  blue: { sign: 60, firstReport: 240, writtenReport: 480 },
}
export const SLA_STEPS = [
  { code: 'sign', label: '签收', doneBy: 'signed' },
  { code: 'firstReport', label: '首报', doneBy: 'handling' },
  { code: 'writtenReport', label: '书面报告', doneBy: 'reported' },
] as const satisfies readonly { code: keyof SlaMinutes; label: string; doneBy: AlarmStatus }[]
export type SlaStep = (typeof SLA_STEPS)[number]['code']

const STATUS_ORDER: readonly AlarmStatus[] = ['pending', 'confirmed', 'pushed', 'signed', 'handling', 'reported', 'closed']

export interface SlaClock {
  step: SlaStep
  label: string
  due: string
  /** When the step was taken, or null while it is still to do. */
  doneAt: string | null
  overdue: boolean
}

/** The SLA clocks of a pushed alarm as of `now` (none before the push; none counting after it ended). */
export function slaClocks(alarm: { status: AlarmStatus; level: AlarmLevel; pushedAt: string | null; stepsAt: Partial<Record<AlarmStatus, string>> },
  sla: SlaTable, now: Date): SlaClock[] {
  if (!alarm.pushedAt || alarm.status === 'false-alarm') return []
  const pushed = Date.parse(alarm.pushedAt)
  const reached = STATUS_ORDER.indexOf(alarm.status)
  return SLA_STEPS.map((s) => {
    const due = pushed + sla[alarm.level][s.code] * 60_000
    const done = reached >= STATUS_ORDER.indexOf(s.doneBy)
    const doneAt = done ? alarm.stepsAt[s.doneBy] ?? null : null
    const overdue = done ? doneAt !== null && Date.parse(doneAt) > due : now.getTime() > due
    return { step: s.code, label: s.label, due: new Date(due).toISOString(), doneAt, overdue }
  })
}

/** A threshold rule: beyond `threshold` (above or below) for `minDurationS` raises `level`; back past `clearValue` ends it. */
export interface ThresholdRule {
  id: number
  level: AlarmLevel
  direction: 'above' | 'below'
  threshold: number
  /** Hysteresis: the value must come back past this (≤ threshold for above, ≥ for below) to end the alarm. */
  clearValue: number
  minDurationS: number
}

export const RULE_DIRECTIONS = [
  { code: 'above', label: '高于' },
  { code: 'below', label: '低于' },
] as const

/**
 * The default rules every new atlas starts with: four levels per channel and a silence rule. Values
 * follow common practice (gas detectors' low and high alarms at 20 and 50 %LEL, water mains at 0.25–0.35
 * MPa, cable temperatures, the 短时强降水 bands); the bureau edits them for its city.
 */
export const DEFAULT_RULES: readonly { channel: SensorChannel; direction: 'above' | 'below'; levels: Record<AlarmLevel, [threshold: number, clear: number]>; minDurationS: number; silenceMinutes: number }[] = [
  { channel: 'gas', direction: 'above', levels: { blue: [10, 8], yellow: [20, 16], orange: [30, 25], red: [50, 40] }, minDurationS: 0, silenceMinutes: 30 },
  { channel: 'pressure', direction: 'below', levels: { blue: [0.2, 0.22], yellow: [0.16, 0.18], orange: [0.12, 0.14], red: [0.08, 0.1] }, minDurationS: 60, silenceMinutes: 30 },
  { channel: 'water-level', direction: 'above', levels: { blue: [1.5, 1.4], yellow: [2, 1.9], orange: [2.5, 2.4], red: [3, 2.9] }, minDurationS: 60, silenceMinutes: 30 },
  { channel: 'displacement', direction: 'above', levels: { blue: [10, 9], yellow: [20, 18], orange: [30, 27], red: [50, 45] }, minDurationS: 120, silenceMinutes: 60 },
  { channel: 'strain', direction: 'above', levels: { blue: [150, 140], yellow: [200, 190], orange: [250, 240], red: [300, 290] }, minDurationS: 60, silenceMinutes: 60 },
  { channel: 'rainfall', direction: 'above', levels: { blue: [20, 15], yellow: [30, 25], orange: [50, 45], red: [70, 65] }, minDurationS: 300, silenceMinutes: 60 },
  { channel: 'smoke', direction: 'above', levels: { blue: [2, 1.5], yellow: [4, 3], orange: [8, 6], red: [12, 10] }, minDurationS: 0, silenceMinutes: 30 },
  { channel: 'temperature', direction: 'above', levels: { blue: [60, 57], yellow: [70, 67], orange: [80, 77], red: [90, 87] }, minDurationS: 60, silenceMinutes: 30 },
  { channel: 'residual-current', direction: 'above', levels: { blue: [300, 270], yellow: [500, 450], orange: [800, 720], red: [1000, 900] }, minDurationS: 30, silenceMinutes: 30 },
]

/**
 * A channel a monitoring point carries, guessed from its name (the demo registers its sensors with
 * this; a department's system names the channel of each reading itself).
 */
export function channelsFromName(name: string): SensorChannel[] {
  const out: SensorChannel[] = []
  const has = (...words: string[]) => words.some((w) => name.includes(w))
  if (has('燃气', '甲烷', '可燃')) out.push(has('压力') ? 'pressure' : 'gas')
  else if (has('压力', '测压', '水压')) out.push('pressure')
  if (has('液位', '水位', '积水', '集水')) out.push('water-level')
  if (has('位移', '沉降', '倾斜', '挠度', '裂缝', 'GNSS', '基坑', '高支模')) out.push('displacement')
  if (has('应变', '振动')) out.push('strain')
  if (has('雨量')) out.push('rainfall')
  if (has('烟感')) out.push('smoke')
  if (has('测温', '热成像', '环境', '气象站')) out.push('temperature')
  if (has('电气火灾', '剩余电流')) out.push('residual-current')
  return [...new Set(out)]
}

/** An alarm rule as the API gives it. */
export interface AlarmRule {
  id: number
  kind: 'threshold' | 'silence'
  channel: SensorChannel
  /** Narrows the rule to the points of one sub-category. */
  subcategoryCode: string | null
  /** Narrows the rule to one point. */
  featureId: number | null
  level: AlarmLevel
  direction: 'above' | 'below'
  threshold: number | null
  clearValue: number | null
  minDurationS: number
  silenceMinutes: number | null
  enabled: boolean
  note: string
  updatedBy: number | null
  updatedAt: string
}

/** An alarm as stored. */
export interface AlarmRecord {
  id: number
  featureId: number
  sensorId: number | null
  resourceId: number
  departmentId: number
  pointName: string
  x: number
  y: number
  kind: AlarmKind
  channel: SensorChannel
  level: AlarmLevel
  status: AlarmStatus
  value: number | null
  threshold: number | null
  unit: string
  raisedAt: string
  lastAt: string
  /** How many times the point alarmed while this alarm was open (merged alarms). */
  count: number
  /** When the sensor came back to normal (the loop goes on regardless). */
  recoveredAt: string | null
  pushedAt: string | null
  endedAt: string | null
  /** SLA steps that went overdue and were escalated to the bureau. */
  escalated: SlaStep[]
  updatedAt: string
}

export interface AlarmStepRecord {
  id: number
  at: string
  /** An AlarmAction, or 'raise', 'merge', 'recover', 'escalate' for what the system recorded. */
  action: string
  /** The status after the step. */
  status: AlarmStatus
  userId: number | null
  username: string
  note: string
}

/** An alarm as the API lists it, for a viewer. */
export interface AlarmView extends AlarmRecord {
  departmentName: string
  clocks: SlaClock[]
  overdue: boolean
  /** What this viewer may do next. */
  actions: AlarmAction[]
}
