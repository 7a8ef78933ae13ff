import { onBeforeUnmount, onMounted, ref, shallowRef } from 'vue'
import { ALARM_STATUSES, isOpenStatus, type AlarmStatus } from '../../server/domain/monitoring.js'
import { answer, api } from '../api/client.js'
import type { MapAlarm } from '../map/map-alarm.js'
import { useLiveStore, type LiveAlarmEvent } from '../stores/live.js'
import { userMessage } from '../lib/user-message.js'

/** One line of the wall's ticker: what just happened to an alarm. */
export interface TickerEntry {
  key: string
  at: string
  alarmId: number
  level: MapAlarm['level']
  pointName: string
  what: string
  status: string
}

/** How long a new alarm's marker pulses harder. */
const FRESH_MS = 15_000
const TICKER_LENGTH = 6

const statusLabel = (s: string) => ALARM_STATUSES.find((x) => x.code === s)?.label ?? s
const actionText: Record<string, string> = {
  raise: '新告警', merge: '再次告警', recover: '监测值恢复', escalate: '超时上报', dismiss: '研判为误报', confirm: '研判确认', push: '已推送', sign: '已签收',
  handle: '处置中', report: '已反馈', close: '已办结',
}

function describe(a: LiveAlarmEvent['alarm'], action: string): string {
  const what = a.kind === 'silence' ? '传感器离线' : a.value !== null ? `${a.value} ${a.unit}` : ''
  return `${actionText[action] ?? action}${what && (action === 'raise' || action === 'merge') ? ` · ${what}` : ''}`
}

/**
 * The open alarms the viewer may see, kept current by the live stream: the list for the map's markers,
 * the counts by level, a ticker of what just happened, and a callback for each new alarm (the wall
 * flies to a new 一级 one in tour mode). Loaded once, then updated from events; reloaded after a gap.
 */
export function useLiveAlarms(onRaised?: (a: MapAlarm) => void) {
  const live = useLiveStore()
  const open = shallowRef<MapAlarm[]>([])
  const ticker = shallowRef<TickerEntry[]>([])
  const loaded = ref(false)
  const error = ref<string | null>(null)
  const timers = new Set<ReturnType<typeof setTimeout>>()

  async function load() {
    try {
      const page = await answer(api.alarms.$get({ query: { open: 'true', limit: '500' } }))
      open.value = page.items.map((a) => ({ id: a.id, featureId: a.featureId, x: a.x, y: a.y, level: a.level, pointName: a.pointName }))
      if (!ticker.value.length) {
        ticker.value = page.items.slice(0, TICKER_LENGTH).map((a) => ({
          key: `a${a.id}`, at: a.lastAt, alarmId: a.id, level: a.level, pointName: a.pointName,
          what: a.kind === 'silence' ? '传感器离线' : `${a.value ?? ''} ${a.unit}`, status: statusLabel(a.status),
        }))
      }
      error.value = null
      loaded.value = true
    } catch (e) {
      error.value = userMessage(e)
    }
  }

  function onAlarm(e: LiveAlarmEvent) {
    const a = e.alarm
    const mapAlarm: MapAlarm = { id: a.id, featureId: a.featureId, x: a.x, y: a.y, level: a.level, pointName: a.pointName }
    const others = open.value.filter((x) => x.id !== a.id)
    const raised = e.step.action === 'raise' || e.step.action === 'merge'
    if (isOpenStatus(a.status as AlarmStatus)) {
      open.value = [...others, { ...mapAlarm, fresh: raised }]
      if (raised) {
        const t = setTimeout(() => {
          timers.delete(t)
          open.value = open.value.map((x) => (x.id === a.id ? { ...x, fresh: false } : x))
        }, FRESH_MS)
        timers.add(t)
        onRaised?.(mapAlarm)
      }
    } else {
      open.value = others
    }
    ticker.value = [{ key: `e${e.id}`, at: e.at, alarmId: a.id, level: a.level, pointName: a.pointName, what: describe(a, e.step.action), status: statusLabel(a.status) }, ...ticker.value].slice(0, TICKER_LENGTH)
  }

  const stops: (() => void)[] = []
  onMounted(() => {
    stops.push(live.on('alarm', onAlarm), live.on('reset', () => void load()))
    void load()
  })
  onBeforeUnmount(() => {
    for (const s of stops) s()
    for (const t of timers) clearTimeout(t)
  })

  const byLevel = () => {
    const n = { red: 0, orange: 0, yellow: 0, blue: 0 }
    for (const a of open.value) n[a.level]++
    return n
  }
  return { open, ticker, loaded, error, byLevel, reload: load }
}
