import assert from 'node:assert/strict'
import { test } from 'vitest'
import { emptyFilters } from '../../web/api/filter-params.js'
import { mapImageLayout, scaleBar } from '../../web/export/map-image.js'
import { describeFilters } from '../../web/lib/filter-words.js'

const names = {
  domains: [{ code: 'public-safety', name: '公共安全', subcategories: [{ code: 'fire', name: '消防安全' }] }],
  departments: [{ id: 3, name: '渝北区应急管理局', shortName: '区应急局' }, { id: 4, name: '渝北区交通局', shortName: null }],
}

test('a filter in words names what the catalog calls things, one part per kind of filter', () => {
  assert.deepEqual(describeFilters(emptyFilters(), names), [])
  const f = { ...emptyFilters(), domain: ['public-safety'], subcategory: ['fire'], department: ['3', '4', '99'], risk: ['red', 'orange'], kind: ['risk-point'], q: ' 加油站 ' }
  assert.deepEqual(describeFilters(f, names), ['领域：公共安全', '子类：消防安全', '部门：区应急局、渝北区交通局、99', '要素类型：风险点', '风险等级：重大风险、较大风险', '检索：“加油站”'])
})

test('the scale bar is a round length no longer than asked', () => {
  assert.deepEqual(scaleBar(10, 120), { metres: 1000, px: 100, label: '1 公里' })
  assert.deepEqual(scaleBar(3, 120), { metres: 200, px: 200 / 3, label: '200 米' })
  assert.equal(scaleBar(0.5, 120).label, '50 米')
})

test('the image is the map with a title band above and a footer below, the legend inside the map\'s lower left', () => {
  const parts = { title: 't', subtitle: 's', legend: [1, 2, 3, 4].map(() => ({ label: 'l', color: '#000', count: 1 })), layers: [{ label: 'k', count: 1 }], footer: 'f', metresPerPixel: 10 }
  const L = mapImageLayout(900, 600, 2, parts)
  assert.deepEqual([L.width, L.height], [1800, (600 + 64 + 30) * 2])
  assert.ok(L.legend.y > L.header && L.legend.y + L.legend.h <= L.header + 600, 'inside the map')
  assert.equal(L.legend.h, (4 + 1 + 2) * L.legend.row + 16)
})
