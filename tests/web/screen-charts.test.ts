import assert from 'node:assert/strict'
import { test } from 'vitest'
import { departmentFreshnessOption, updateCycleOption } from '../../web/charts/chart-options.js'
import { WALL_MIN_FONT_PX, wallCycleOption, withMinFontSize, withRoomForValues } from '../../web/components/screen/screen-charts.js'

/** Every fontSize in an option, tooltips aside. */
function fontSizes(node: unknown, key = ''): number[] {
  if (key === 'tooltip' || !node || typeof node !== 'object') return []
  if (Array.isArray(node)) return node.flatMap((n) => fontSizes(n))
  return Object.entries(node).flatMap(([k, v]) => (k === 'fontSize' && typeof v === 'number' ? [v] : fontSizes(v, k)))
}

const cycles = {
  cycles: [
    { code: 'realtime', label: '实时', resources: 32 }, { code: 'daily', label: '每日', resources: 15 }, { code: 'half-yearly', label: '每半年', resources: 0 },
    { code: 'quarterly', label: '每季度', resources: 40 }, { code: 'other', label: '其他', resources: 0 },
  ],
}

test('no text on the wall is smaller than 18 px at its design size', () => {
  const option = withMinFontSize(updateCycleOption(cycles as never, { theme: 'dark', compact: true, fontSize: 14 }))
  const sizes = fontSizes(option)
  assert.ok(sizes.length > 2)
  assert.ok(sizes.every((s) => s >= WALL_MIN_FONT_PX), sizes.join(','))
  // Gradients and formatters come through untouched.
  const bar = (option.series as { data: { itemStyle: { color: { colorStops: unknown[] } } }[] }[])[0]!.data[0]!
  assert.equal(bar.itemStyle.color.colorStops.length, 2)
})

test('the wall\'s update cycles: short names and only the cycles in use, with room above the columns', () => {
  const option = wallCycleOption(updateCycleOption(cycles as never, { theme: 'dark', compact: true, fontSize: 18 }))
  assert.deepEqual((option.xAxis as { data: string[] }).data, ['实时', '日', '季度'])
  assert.deepEqual((option.series as { data: { value: number }[] }[])[0]!.data.map((d) => d.value), [32, 15, 40])
  assert.equal((option.grid as { top: number }).top, 28)
})

test('bar labels right of the bars get room for 100%', () => {
  const stats = { totals: {}, departments: [{ departmentId: 1, name: '渝北区水利局', counts: {}, onTimeRate: 1, rank: 1 }] }
  const option = withRoomForValues(departmentFreshnessOption(stats as never, { theme: 'dark', fontSize: 18 }))
  assert.ok((option.grid as { right: number }).right >= 62)
})
