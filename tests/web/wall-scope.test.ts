import assert from 'node:assert/strict'
import { test } from 'vitest'
import { emptyFilters } from '../../web/api/filter-params.js'
import { clearanceLabel, filterParts, kioskPreviewFilters, kioskPreviewText, scopeBadge, wallFilters } from '../../web/lib/wall-scope.js'

const names = {
  district: (k: string) => k,
  domain: (c: string) => ({ lifeline: '城市生命线工程安全' })[c] ?? c,
  subcategory: (c: string) => c,
  department: (d: string) => ({ '7': '应急局', '5': '交通局' })[d] ?? d,
}

test('the clearance in words: public only, no restricted data, or nothing to say for everything', () => {
  assert.equal(clearanceLabel({ clearance: 'public', ownRestricted: false }), '仅公开数据')
  assert.equal(clearanceLabel({ clearance: 'internal', ownRestricted: false }), '不含受限数据')
  assert.equal(clearanceLabel({ clearance: 'internal', ownRestricted: true }), '不含其他部门的受限数据')
  assert.equal(clearanceLabel({ clearance: 'all', ownRestricted: false }), null)
})

test('a public-only wall says so with the share of all features; an unlimited one shows no badge', () => {
  assert.deepEqual(scopeBadge({ clearance: 'public', ownRestricted: false, allFeatures: 20171 }, 840, []), { label: '仅公开数据', counts: '840/20,171 个要素' })
  assert.equal(scopeBadge({ clearance: 'all', ownRestricted: false, allFeatures: null }, 20171, []), null)
  assert.equal(scopeBadge(null, null, []), null)
})

test('a filtered wall names its filters, after the clearance when there is one', () => {
  const f = { ...emptyFilters(), department: ['7', '5'], risk: ['red'] }
  const parts = filterParts(f, names)
  assert.deepEqual(parts, ['应急局、交通局', '重大风险'])
  assert.deepEqual(scopeBadge({ clearance: 'all', ownRestricted: false, allFeatures: 20171 }, 61, parts), { label: '仅 应急局、交通局 · 重大风险', counts: '61/20,171 个要素' })
  assert.deepEqual(scopeBadge({ clearance: 'public', ownRestricted: false, allFeatures: 20171 }, 12, parts)?.label, '仅公开数据 · 应急局、交通局 · 重大风险')
})

test('a kiosk wall\'s link filters count where its URL says nothing', () => {
  const url = { ...emptyFilters(), risk: ['red'] }
  const f = wallFilters(url, 'domain=lifeline&risk=orange')
  assert.deepEqual([f.domain, f.risk], [['lifeline'], ['red']])
  assert.equal(wallFilters(url, null), url)
})

test('the kiosk preview applies the ceiling as a sensitivity filter, within the link\'s own', () => {
  assert.deepEqual(kioskPreviewFilters('public', '')?.sensitivity, ['public'])
  assert.deepEqual(kioskPreviewFilters('internal', '?domain=lifeline')?.sensitivity, ['public', 'internal'])
  assert.deepEqual(kioskPreviewFilters('internal', 'domain=lifeline')?.domain, ['lifeline'])
  assert.deepEqual(kioskPreviewFilters('internal', 'sensitivity=internal,restricted')?.sensitivity, ['internal'])
  assert.equal(kioskPreviewFilters('public', 'sensitivity=restricted'), null, 'nothing is left to show')
})

test('the kiosk preview in words, with what the ceiling hides', () => {
  assert.equal(kioskPreviewText('public', [], { features: 840, red: 0 }, { features: 20171, red: 225 }),
    '此链接的大屏将显示：仅公开数据，840 个要素，重大风险 0 处（全部数据为 20,171 个要素、重大风险 225 处）')
  assert.equal(kioskPreviewText('internal', ['城市生命线工程安全'], { features: 9629, red: 53 }, { features: 9629, red: 53 }),
    '此链接的大屏将显示：公开和内部数据（不含受限数据） · 城市生命线工程安全，9,629 个要素，重大风险 53 处')
  assert.equal(kioskPreviewText('public', [], null), '此链接的大屏将显示：仅公开数据，没有任何要素')
})
