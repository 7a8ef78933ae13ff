import assert from 'node:assert/strict'
import { test } from 'vitest'
import { nextPageIndex, pageAt, parseRefreshSeconds, parseTour, parseWallPages } from '../../web/lib/wall-params.js'

test('pages: overview, a domain and supervision in order, each with the default or its own dwell', () => {
  const turns = parseWallPages('overview,domain:lifeline@30,supervision', '45')
  assert.deepEqual(turns.map((t) => [t.page, t.dwellSeconds]), [
    [{ kind: 'overview' }, 45],
    [{ kind: 'domain', domain: 'lifeline' }, 30],
    [{ kind: 'supervision' }, 45],
  ])
  assert.equal(new Set(turns.map((t) => t.key)).size, 3, 'keys tell the pages apart')
})

test('pages: unknown tokens are left out; nothing valid is the overview alone for 60 s', () => {
  assert.deepEqual(parseWallPages('map,domain:,supervision@x@y,overview', undefined).map((t) => t.page.kind), ['overview'])
  assert.deepEqual(parseWallPages(undefined).map((t) => [t.page.kind, t.dwellSeconds]), [['overview', 60]])
  assert.deepEqual(parseWallPages('', 'soon').map((t) => t.dwellSeconds), [60])
  // The same page twice is allowed (a wall may come back to the overview).
  assert.deepEqual(parseWallPages(['overview,supervision,overview']).map((t) => t.page.kind), ['overview', 'supervision', 'overview'])
})

test('pages: a dwell outside 5 s … 1 h falls back', () => {
  assert.deepEqual(parseWallPages('overview@2,supervision@7200', '4').map((t) => t.dwellSeconds), [60, 60])
  assert.deepEqual(parseWallPages('overview@5,supervision@3600').map((t) => t.dwellSeconds), [5, 3600])
})

test('the carousel goes round: next page, and which page is on after some time', () => {
  const turns = parseWallPages('overview@10,domain:natural@20,supervision@30')
  assert.equal(nextPageIndex(turns, 0), 1)
  assert.equal(nextPageIndex(turns, 2), 0)
  assert.equal(nextPageIndex([], 3), 0)
  assert.deepEqual(pageAt(turns, 0), { index: 0, remainingMs: 10_000 })
  assert.deepEqual(pageAt(turns, 9_999), { index: 0, remainingMs: 1 })
  assert.deepEqual(pageAt(turns, 10_000), { index: 1, remainingMs: 20_000 })
  assert.deepEqual(pageAt(turns, 45_000), { index: 2, remainingMs: 15_000 })
  assert.deepEqual(pageAt(turns, 60_000 + 12_000), { index: 1, remainingMs: 18_000 }, 'a second round')
})

test('tour: on with 1 or true; top N, one department and the time per stop when valid', () => {
  assert.deepEqual(parseTour({ tour: '1', tourTop: '10', tourDepartment: '7' }), { on: true, top: 10, department: 7, intervalMs: 12_000 })
  assert.deepEqual(parseTour({ tour: 'true', tourInterval: '20' }), { on: true, top: null, department: null, intervalMs: 20_000 })
  assert.deepEqual(parseTour({ tour: '0', tourTop: '-3', tourDepartment: 'x', tourInterval: '1' }), { on: false, top: null, department: null, intervalMs: 12_000 })
  assert.deepEqual(parseTour({}), { on: false, top: null, department: null, intervalMs: 12_000 })
})

test('refresh: every 300 s unless a whole number of at least 10 is given', () => {
  assert.equal(parseRefreshSeconds(undefined), 300)
  assert.equal(parseRefreshSeconds('60'), 60)
  assert.equal(parseRefreshSeconds('5'), 300)
  assert.equal(parseRefreshSeconds('1e3'), 300)
})
