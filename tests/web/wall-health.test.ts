import assert from 'node:assert/strict'
import { test } from 'vitest'
import { afterRead, isStale, retryDelayMs, staleText } from '../../web/lib/wall-health.js'

test('after a failed read the wall tries again after 2 s, 4 s, 8 s … never more than a minute', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMs), [0, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000])
})

test('the wall is stale while reads fail, says since when, and is current again after one success', () => {
  const ok = afterRead({ lastOkAt: null, failures: 0 }, true, new Date('2026-05-04T01:47:10Z'))
  assert.equal(isStale(ok), false)
  assert.equal(staleText(ok), null)
  const down = afterRead(afterRead(ok, false, new Date('2026-05-04T01:50:00Z')), false, new Date('2026-05-04T01:50:02Z'))
  assert.deepEqual(down, { lastOkAt: new Date('2026-05-04T01:47:10Z'), failures: 2 })
  // The time is the command centre's (China Standard Time).
  assert.equal(staleText(down), '数据更新于 09:47，正在重新连接…')
  assert.equal(retryDelayMs(down.failures), 4000)
  const back = afterRead(down, true, new Date('2026-05-04T01:51:00Z'))
  assert.deepEqual(back, { lastOkAt: new Date('2026-05-04T01:51:00Z'), failures: 0 })
})

test('a wall that never read its data says so rather than showing a time', () => {
  assert.equal(staleText(afterRead({ lastOkAt: null, failures: 0 }, false, new Date())), '数据读取失败，正在重新连接…')
})
