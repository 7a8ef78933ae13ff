import { ALARM_KINDS, ALARM_LEVELS, ALARM_STATUSES } from '../../server/domain/monitoring.js'
import type { AlarmKind, AlarmLevel, AlarmStatus } from '../../server/domain/monitoring.js'

/**
 * The 告警中心's filters: a plain object that round-trips through the page's URL and becomes the
 * query of GET /api/alarms. Unknown codes in a hand-edited URL are dropped rather than sent (the
 * server would refuse them with a 400). In the page's URL the keyword is `keyword`: `q` is the top
 * bar's search, which reads it from any page.
 */
export interface AlarmFilters {
  status: AlarmStatus | ''
  level: AlarmLevel[]
  kind: AlarmKind | ''
  /** 只看未办结 */
  open: boolean
  /** 只看超时: alarms whose SLA steps ran out and were escalated to the bureau. */
  escalated: boolean
  q: string
}

export const emptyAlarmFilters = (): AlarmFilters => ({ status: '', level: [], kind: '', open: false, escalated: false, q: '' })

type QueryValue = string | null | (string | null)[] | undefined
const first = (v: QueryValue): string => (Array.isArray(v) ? v.find((x) => x != null) ?? '' : v ?? '').trim()
const known = <T extends string>(table: readonly { code: string }[], v: string): T | '' => (table.some((t) => t.code === v) ? (v as T) : '')

export function alarmFiltersFromQuery(query: Record<string, QueryValue>): AlarmFilters {
  const levels = first(query.level).split(',').map((s) => s.trim()).filter((s) => ALARM_LEVELS.some((l) => l.code === s)) as AlarmLevel[]
  return {
    status: known<AlarmStatus>(ALARM_STATUSES, first(query.status)),
    // In the order of the levels, once each, so the same filter always writes the same URL.
    level: ALARM_LEVELS.map((l) => l.code).filter((c) => levels.includes(c)),
    kind: known<AlarmKind>(ALARM_KINDS, first(query.kind)),
    open: first(query.open) === 'true',
    escalated: first(query.escalated) === 'true',
    q: first(query.keyword).slice(0, 100),
  }
}

/** The filters as the page's URL query; empty ones are left out. */
export function alarmFiltersToQuery(f: AlarmFilters): Record<string, string> {
  const { q, ...rest } = alarmFiltersToApiQuery(f)
  return q ? { ...rest, keyword: q } : rest
}

/** The filters as the query of GET /api/alarms; empty ones are left out. */
export function alarmFiltersToApiQuery(f: AlarmFilters): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.status) out.status = f.status
  if (f.level.length) out.level = ALARM_LEVELS.map((l) => l.code).filter((c) => f.level.includes(c)).join(',')
  if (f.kind) out.kind = f.kind
  if (f.open) out.open = 'true'
  if (f.escalated) out.escalated = 'true'
  if (f.q.trim()) out.q = f.q.trim()
  return out
}

export const sameAlarmFilters = (a: AlarmFilters, b: AlarmFilters) => JSON.stringify(alarmFiltersToApiQuery(a)) === JSON.stringify(alarmFiltersToApiQuery(b))
