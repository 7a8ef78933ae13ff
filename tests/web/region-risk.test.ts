import assert from 'node:assert/strict'
import { test } from 'vitest'
import { regionRiskColor, regionRiskLayer } from '../../web/map/region-risk.js'
import { RISK_COLORS } from '../../web/map/map-theme.js'

test('the 四色图 colours each graded grid cell by its level and leaves the others clear', () => {
  const expr = regionRiskColor([{ key: '12', level: 'red' }, { key: '13', level: null }, { key: '14', level: 'blue' }]) as unknown[]
  assert.deepEqual(expr, ['match', ['to-string', ['get', 'id']], '12', RISK_COLORS.red, '14', RISK_COLORS.blue, 'rgba(0,0,0,0)'])
  assert.equal(regionRiskColor([]), 'rgba(0,0,0,0)')
  assert.equal(regionRiskColor([{ key: '1', level: null }]), 'rgba(0,0,0,0)')
  const layer = regionRiskLayer([{ key: '12', level: 'red' }], 'dark')
  assert.deepEqual([layer.type, layer.source, layer.id], ['fill', 'grid', 'grid-risk-fill'])
})
