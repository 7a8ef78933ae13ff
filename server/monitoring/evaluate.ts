import { severity, type AlarmLevel, type ThresholdRule } from '../domain/monitoring.js'

/**
 * The threshold rules of one sensor applied to its readings, one at a time in time order: pure, so the
 * rules can be tested against hand-made series.
 *
 * - A level is *beyond* while a reading is past its threshold (≥ for rules above, ≤ for rules below);
 *   the state remembers since when each level has been beyond without a break.
 * - A level raises an alarm once it has been beyond for its minimum duration (0: the first reading),
 *   if it is more severe than the level the sensor alarms at already (a climb from 三级 to 一级 raises
 *   again; the loop's alarm then takes the higher level).
 * - Hysteresis: an alarming sensor stays at its level until a reading comes back past that level's
 *   clear value; it then drops to the most severe lower level it is still past the clear value of, or
 *   recovers (no level) — so a value that wobbles around a threshold does not flap.
 */
export interface SensorRuleState {
  /** The level the sensor alarms at now, or null. */
  alarmLevel: AlarmLevel | null
  /** Each level beyond its threshold since the reading at this time (ms), without a break. */
  pending: Partial<Record<AlarmLevel, number>>
}

export type RuleOutcome =
  | { kind: 'raise'; level: AlarmLevel; rule: ThresholdRule; value: number; at: number }
  | { kind: 'recover'; value: number; at: number }

export const NORMAL: SensorRuleState = Object.freeze({ alarmLevel: null, pending: Object.freeze({}) })

const beyond = (r: ThresholdRule, v: number) => (r.direction === 'above' ? v >= r.threshold : v <= r.threshold)
const stillHeld = (r: ThresholdRule, v: number) => (r.direction === 'above' ? v > r.clearValue : v < r.clearValue)

/** Rules most severe first (the order every step below relies on). */
export function bySeverity(rules: readonly ThresholdRule[]): ThresholdRule[] {
  return [...rules].sort((a, b) => severity(b.level) - severity(a.level))
}

/** One reading through the rules (`rules` most severe first): the next state and what happened. */
export function applyReading(state: SensorRuleState, rules: readonly ThresholdRule[], at: number, value: number): { state: SensorRuleState; outcome: RuleOutcome | null } {
  let alarmLevel = state.alarmLevel
  let outcome: RuleOutcome | null = null
  if (alarmLevel) {
    const held = rules.find((r) => severity(r.level) <= severity(alarmLevel) && stillHeld(r, value))
    const next = held?.level ?? null
    if (next === null) outcome = { kind: 'recover', value, at }
    alarmLevel = next
  }
  const pending: Partial<Record<AlarmLevel, number>> = {}
  for (const r of rules) {
    if (beyond(r, value)) pending[r.level] = state.pending[r.level] ?? at
  }
  const due = rules.find((r) => pending[r.level] !== undefined && severity(r.level) > severity(alarmLevel) && at - pending[r.level]! >= r.minDurationS * 1000)
  if (due) {
    alarmLevel = due.level
    outcome = { kind: 'raise', level: due.level, rule: due, value, at }
  }
  return { state: { alarmLevel, pending }, outcome }
}

/** A series of readings (in time order) through the rules: the final state and every outcome. */
export function applyReadings(state: SensorRuleState, rules: readonly ThresholdRule[], readings: readonly { at: number; value: number }[]): { state: SensorRuleState; outcomes: RuleOutcome[] } {
  const ordered = bySeverity(rules)
  const outcomes: RuleOutcome[] = []
  let s = state
  for (const r of readings) {
    const step = applyReading(s, ordered, r.at, r.value)
    s = step.state
    if (step.outcome) outcomes.push(step.outcome)
  }
  return { state: s, outcomes }
}

/**
 * The rules that apply to a sensor: those naming its point if there are any, else those of its point's
 * sub-category, else the channel's general rules (a narrower set replaces a wider one as a whole).
 */
export function rulesFor<R extends { featureId: number | null; subcategoryCode: string | null }>(rules: readonly R[], point: { featureId: number; subcategoryCode: string }): R[] {
  const own = rules.filter((r) => r.featureId === point.featureId)
  if (own.length) return own
  const sub = rules.filter((r) => r.featureId === null && r.subcategoryCode === point.subcategoryCode)
  if (sub.length) return sub
  return rules.filter((r) => r.featureId === null && r.subcategoryCode === null)
}
