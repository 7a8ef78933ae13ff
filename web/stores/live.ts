import { defineStore } from 'pinia'
import { ref } from 'vue'

/**
 * The one live connection of the page: /api/events (server-sent events), shared by every view that
 * wants alarms and data changes as they happen. It reconnects by itself — the browser's EventSource
 * retries with the last event id, and when it gives up (the server refused or went away) a new one is
 * opened after a growing pause, asking for what came after the last id seen — so a dropped network or
 * a restarted server is caught up without a reload. Views subscribe by event type.
 */
export type LiveStatus = 'idle' | 'connecting' | 'open' | 'reconnecting'

/** An alarm event as /api/events sends it. */
export interface LiveAlarmEvent {
  id: number
  at: string
  alarm: {
    id: number; featureId: number; pointName: string; x: number; y: number; resourceId: number; departmentId: number
    kind: 'threshold' | 'silence'; channel: string; level: 'red' | 'orange' | 'yellow' | 'blue'; status: string
    value: number | null; unit: string; threshold: number | null; raisedAt: string; lastAt: string; count: number
    recoveredAt: string | null; escalated: string[]
  }
  step: { action: string; note?: string; username?: string }
}

type Handlers = {
  alarm: (e: LiveAlarmEvent) => void
  'data-version': (v: Record<string, number>) => void
  /** Too much was missed to replay (or the connection came back after a gap): reload lists. */
  reset: () => void
}

const MAX_PAUSE_MS = 30_000

/** What the listeners of an EventSource receive (written out: the app's and Node's DOM types differ). */
type SseMessage = { data: string; lastEventId: string }

export const useLiveStore = defineStore('live', () => {
  const status = ref<LiveStatus>('idle')
  /** When the stream last said anything (an event or a heartbeat is not visible; hello and events are). */
  const lastHeardAt = ref<Date | null>(null)
  const listeners: { [K in keyof Handlers]: Set<Handlers[K]> } = { alarm: new Set(), 'data-version': new Set(), reset: new Set() }
  let source: EventSource | null = null
  let lastId: string | null = null
  let pause = 1000
  let timer: ReturnType<typeof setTimeout> | undefined
  let users = 0
  let everOpened = false

  function open() {
    clearTimeout(timer)
    source?.close()
    status.value = everOpened ? 'reconnecting' : 'connecting'
    const url = lastId ? `/api/events?lastEventId=${encodeURIComponent(lastId)}` : '/api/events'
    const es = new EventSource(url, { withCredentials: true })
    source = es
    es.addEventListener('hello', (m) => {
      const hello = JSON.parse((m as unknown as SseMessage).data) as { lastEventId: number }
      const again = everOpened
      everOpened = true
      status.value = 'open'
      pause = 1000
      lastHeardAt.value = new Date()
      // Back after a break without a last id to resume from: whatever lists there are may be stale.
      if (again && !lastId) for (const f of listeners.reset) f()
      lastId ??= String(hello.lastEventId)
    })
    es.addEventListener('alarm', (m) => {
      const e = m as unknown as SseMessage
      lastId = e.lastEventId || lastId
      lastHeardAt.value = new Date()
      const data = JSON.parse(e.data) as Omit<LiveAlarmEvent, 'id'>
      for (const f of listeners.alarm) f({ ...data, id: Number(e.lastEventId) })
    })
    es.addEventListener('data-version', (m) => {
      lastHeardAt.value = new Date()
      const v = JSON.parse((m as unknown as SseMessage).data) as Record<string, number>
      for (const f of listeners['data-version']) f(v)
    })
    es.addEventListener('reset', (m) => {
      lastId = (m as unknown as SseMessage).lastEventId || lastId
      for (const f of listeners.reset) f()
    })
    es.onerror = () => {
      if (es.readyState === EventSource.CONNECTING) {
        status.value = 'reconnecting'
        return
      }
      // Closed for good (a refusal, a proxy's error): open a new one later, resuming after lastId.
      es.close()
      if (source !== es) return
      source = null
      status.value = 'reconnecting'
      timer = setTimeout(open, pause)
      pause = Math.min(MAX_PAUSE_MS, pause * 2)
    }
  }

  /** Listens to one event type while the caller needs it (call the returned function when done). */
  function on<K extends keyof Handlers>(type: K, handler: Handlers[K]): () => void {
    listeners[type].add(handler)
    users++
    if (!source && status.value !== 'reconnecting') open()
    return () => {
      listeners[type].delete(handler)
      users--
      if (users <= 0) {
        users = 0
        clearTimeout(timer)
        source?.close()
        source = null
        status.value = 'idle'
      }
    }
  }

  return { status, lastHeardAt, on }
})
