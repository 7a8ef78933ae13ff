import assert from 'node:assert/strict'
import { test } from 'vitest'
import { ApiError } from '../../web/api/client.js'
import { createPanelData, panelStatus } from '../../web/lib/panel-data.js'
import { userMessage } from '../../web/lib/user-message.js'

/** A request the test answers when it likes. */
function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}

const serverError = () => new ApiError(500, 'internal', 'Internal Server Error')

test('a panel is loading until its first answer, then ready with the time it arrived', async () => {
  const panel = createPanelData<number[]>({ isEmpty: (d) => d.length === 0 })
  const answer = deferred<number[]>()
  const done = panel.load('a', () => answer.promise)
  assert.equal(panel.status.value, 'loading')
  assert.equal(panel.shown.value, null)
  answer.resolve([1, 2])
  await done
  assert.equal(panel.status.value, 'ready')
  assert.deepEqual(panel.shown.value, [1, 2])
  assert.ok(panel.updatedAt.value instanceof Date)
  assert.equal(panel.refreshing.value, false)
})

test('a failed first request is an error with a Chinese message and nothing to show; 重试 brings the data', async () => {
  const panel = createPanelData<number>()
  let calls = 0
  const fetch = async () => {
    calls++
    if (calls === 1) throw serverError()
    return 42
  }
  await panel.load('a', fetch)
  assert.equal(panel.status.value, 'error')
  assert.equal(panel.shown.value, null, 'no figure for data that did not load')
  assert.equal(panel.error.value, '服务器出错（500），请稍后重试')
  const retried = panel.retry()
  assert.equal(panel.status.value, 'loading', 'retrying an error shows loading, not the error')
  await retried
  assert.equal(panel.status.value, 'ready')
  assert.equal(panel.shown.value, 42)
  assert.equal(panel.error.value, null)
})

test('a failed refresh of the same question keeps the last good data as stale, with its time', async () => {
  const panel = createPanelData<string>()
  await panel.load('a', async () => 'first')
  const at = panel.updatedAt.value
  await panel.load('a', async () => { throw new TypeError('Failed to fetch') })
  assert.equal(panel.status.value, 'stale')
  assert.equal(panel.shown.value, 'first')
  assert.equal(panel.updatedAt.value, at, 'the time is that of the data shown')
  assert.equal(panel.error.value, '无法连接服务器，请检查网络后重试')
})

test('a failed answer to a new question is an error: the old answer is not shown for it', async () => {
  const panel = createPanelData<string>()
  await panel.load('all', async () => 'all data')
  const next = deferred<string>()
  const loading = panel.load('filtered', () => next.promise)
  // While the new answer is on its way the old one stays on screen, marked as refreshing.
  assert.equal(panel.status.value, 'ready')
  assert.equal(panel.refreshing.value, true)
  next.reject(serverError())
  await loading
  assert.equal(panel.status.value, 'error')
  assert.equal(panel.shown.value, null)
  assert.equal(panel.data.value, 'all data', 'the last good answer is still held (a wall may show it)')
})

test('an empty answer is empty, not loading', async () => {
  const panel = createPanelData<number[]>({ isEmpty: (d) => d.length === 0 })
  await panel.load('q=nothing', async () => [])
  assert.equal(panel.status.value, 'empty')
  assert.deepEqual(panel.shown.value, [])
})

test('an answer to an older question never overwrites a newer one, and the older request is cancelled', async () => {
  const panel = createPanelData<string>()
  const slow = deferred<string>()
  let cancelled = false
  const first = panel.load('a', (signal) => {
    signal.addEventListener('abort', () => { cancelled = true })
    return slow.promise
  })
  await panel.load('b', async () => 'b')
  assert.equal(cancelled, true)
  slow.resolve('a')
  await first
  assert.equal(panel.shown.value, 'b')
  assert.equal(panel.status.value, 'ready')
})

test('a cancelled request leaves no error behind', async () => {
  const panel = createPanelData<string>()
  await panel.load('a', async () => { throw Object.assign(new Error('aborted'), { name: 'AbortError' }) })
  assert.equal(panel.error.value, null)
})

test('the status table: stale only for the same question, loading while an error is retried', () => {
  const s = (f: Partial<Parameters<typeof panelStatus>[0]>) => panelStatus({ inFlight: false, hasData: false, fresh: false, failed: false, empty: false, ...f })
  assert.equal(s({}), 'loading')
  assert.equal(s({ hasData: true, fresh: true }), 'ready')
  assert.equal(s({ hasData: true, fresh: true, empty: true }), 'empty')
  assert.equal(s({ failed: true }), 'error')
  assert.equal(s({ failed: true, inFlight: true }), 'loading')
  assert.equal(s({ failed: true, hasData: true, fresh: true }), 'stale')
  assert.equal(s({ failed: true, hasData: true, fresh: true, inFlight: true }), 'stale')
  assert.equal(s({ failed: true, hasData: true, fresh: false }), 'error')
})

test('what users read of a failed request is Chinese', () => {
  assert.equal(userMessage(new TypeError('Failed to fetch')), '无法连接服务器，请检查网络后重试')
  assert.equal(userMessage(new ApiError(404, 'not_found', 'department 5 does not exist')), '要找的内容不存在（可能已被删除），或您无权查看')
  assert.equal(userMessage(new ApiError(502, 'http_error', '502 Bad Gateway')), '服务器出错（502），请稍后重试')
  assert.equal(userMessage(new ApiError(403, 'forbidden', '填报人员只能导入本单位的表格')), '填报人员只能导入本单位的表格')
  const invalid = (parameter: string, message: string) =>
    new ApiError(400, 'invalid_parameter', `invalid ${parameter}: ${message}`, { parameter, issues: [{ parameter, message }] })
  assert.equal(userMessage(invalid('department', 'not an id: x')), '部门中有不存在的取值，请重新选择')
  assert.equal(userMessage(invalid('q', 'Too big: expected string to have <=200 characters')), '搜索词填写有误，请检查后重试')
  assert.equal(userMessage(invalid('whatever', 'Invalid input')), '请求有误，请检查后重试')
  assert.equal(userMessage(new ApiError(429, 'rate_limited', 'too many requests')), '操作过于频繁，请稍后再试')
})
