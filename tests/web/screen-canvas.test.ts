import assert from 'node:assert/strict'
import { test } from 'vitest'
import { fitCanvas, parseCanvas } from '../../web/composables/screen-canvas.js'
import { formatDateTime } from '../../web/lib/format.js'

test('the default canvas is 1920×1080', () => {
  assert.deepEqual(parseCanvas(undefined), { width: 1920, height: 1080, logicalWidth: 1920, logicalHeight: 1080 })
  assert.deepEqual(parseCanvas('nonsense'), parseCanvas(undefined))
  assert.deepEqual(parseCanvas('99999x1'), parseCanvas(undefined))
})

test('a 4K canvas keeps the 1080-high layout and doubles it', () => {
  const c = parseCanvas('3840x2160')
  assert.equal(c.logicalWidth, 1920)
  assert.equal(fitCanvas(c, 3840, 2160).scale, 2)
})

test('a wide LED wall gets a wider layout, not stretched text', () => {
  const c = parseCanvas('5760×1080')
  assert.equal(c.logicalWidth, 5760)
  const fit = fitCanvas(c, 5760, 1080)
  assert.equal(fit.scale, 1)
})

test('a canvas in a screen of another ratio is letterboxed, never distorted', () => {
  const fit = fitCanvas(parseCanvas('1920x1080'), 1920, 1200)
  assert.equal(fit.scale, 1)
  assert.equal(fit.offsetY, 60)
})

test('"updated at" carries the date, in China Standard Time, across midnight', () => {
  // 23:59:30 and 00:00:30 Beijing time are on different days and must say so.
  assert.equal(formatDateTime(new Date('2024-03-01T15:59:30Z'), true), '2024-03-01 23:59:30')
  assert.equal(formatDateTime(new Date('2024-03-01T16:00:30Z'), true), '2024-03-02 00:00:30')
})
