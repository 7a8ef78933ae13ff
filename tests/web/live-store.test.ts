import assert from 'node:assert/strict'
import { afterEach, beforeEach, test, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useLiveStore } from '../../web/stores/live.js'

/** A stand-in for the browser's EventSource: records what was opened and lets the test speak for the server. */
class FakeEventSource {
  static CONNECTING = 0
  static OPEN = 1
  static CLOSED = 2
  static opened: FakeEventSource[] = []
  readyState = FakeEventSource.CONNECTING
  onerror: (() => void) | null = null
  private readonly handlers = new Map<string, ((e: { data: string; lastEventId: string }) => void)[]>()
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this)
  }
  addEventListener(type: string, fn: (e: { data: string; lastEventId: string }) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), fn])
  }
  emit(type: string, data: unknown, lastEventId = '') {
    this.readyState = FakeEventSource.OPEN
    for (const fn of this.handlers.get(type) ?? []) fn({ data: JSON.stringify(data), lastEventId })
  }
  fail(closed: boolean) {
    this.readyState = closed ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING
    this.onerror?.()
  }
  close() {
    this.readyState = FakeEventSource.CLOSED
  }
}

beforeEach(() => {
  vi.useFakeTimers()
  FakeEventSource.opened = []
  vi.stubGlobal('EventSource', FakeEventSource)
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

const alarm = (id: number) => ({ at: '2026-06-15T04:00:00Z', alarm: { id, featureId: 1, level: 'red', status: 'pending' }, step: { action: 'raise' } })

test('one connection for every listener; a connection the server closed is opened again, asking for what came after the last event seen', async () => {
  const live = useLiveStore()
  const got: number[] = []
  const stopA = live.on('alarm', (e) => got.push(e.alarm.id))
  const stopB = live.on('data-version', () => {})
  assert.equal(FakeEventSource.opened.length, 1)
  assert.equal(FakeEventSource.opened[0]!.url, '/api/events')
  assert.equal(live.status, 'connecting')
  const first = FakeEventSource.opened[0]!
  first.emit('hello', { lastEventId: 7 })
  assert.equal(live.status, 'open')
  first.emit('alarm', alarm(3), '9')
  assert.deepEqual(got, [3])

  // The browser retries by itself while the source is CONNECTING (it sends Last-Event-ID).
  first.fail(false)
  assert.equal(live.status, 'reconnecting')
  assert.equal(FakeEventSource.opened.length, 1)
  // Refused or gone for good: a new source after a pause, resuming after event 9.
  first.fail(true)
  await vi.advanceTimersByTimeAsync(999)
  assert.equal(FakeEventSource.opened.length, 1)
  await vi.advanceTimersByTimeAsync(1)
  assert.equal(FakeEventSource.opened.length, 2)
  const second = FakeEventSource.opened[1]!
  assert.equal(second.url, '/api/events?lastEventId=9')
  // Failing again waits longer (2 s), then longer still.
  second.fail(true)
  await vi.advanceTimersByTimeAsync(1999)
  assert.equal(FakeEventSource.opened.length, 2)
  await vi.advanceTimersByTimeAsync(1)
  const third = FakeEventSource.opened[2]!
  assert.equal(third.url, '/api/events?lastEventId=9')
  third.emit('hello', { lastEventId: 12 })
  assert.equal(live.status, 'open')
  third.emit('alarm', alarm(4), '10')
  assert.deepEqual(got, [3, 4])

  // The last listener gone: the connection closes.
  stopA()
  assert.notEqual(third.readyState, FakeEventSource.CLOSED)
  stopB()
  assert.equal(third.readyState, FakeEventSource.CLOSED)
  assert.equal(live.status, 'idle')
})

test('a server that says too much was missed makes every list reload', () => {
  const live = useLiveStore()
  let resets = 0
  live.on('reset', () => resets++)
  const source = FakeEventSource.opened[0]!
  source.emit('hello', { lastEventId: 1 })
  source.emit('reset', { reason: 'gap' }, '50')
  assert.equal(resets, 1)
})
