import assert from 'node:assert/strict'
import { test } from 'vitest'
import { popupMaxHeight, popupPan } from '../../web/map/popup-placement.js'

const map = { top: 100, bottom: 700, left: 200, right: 1000 }

test('a popup is no taller than its map less the tip and margins, and never under 160 px', () => {
  assert.equal(popupMaxHeight(600), 564)
  assert.equal(popupMaxHeight(150), 160)
})

test('the map pans just enough for an open popup to show whole, 10 px inside its edges', () => {
  assert.deepEqual(popupPan({ top: 300, bottom: 500, left: 400, right: 720 }, map), [0, 0], 'inside: no pan')
  assert.deepEqual(popupPan({ top: 400, bottom: 760, left: 400, right: 720 }, map), [0, 70], 'below the bottom: the map moves up')
  assert.deepEqual(popupPan({ top: 60, bottom: 300, left: 400, right: 720 }, map), [0, -50], 'above the top: the map moves down')
  assert.deepEqual(popupPan({ top: 300, bottom: 500, left: 150, right: 470 }, map), [-60, 0], 'past the left edge')
  assert.deepEqual(popupPan({ top: 300, bottom: 980, left: 400, right: 720 }, map), [0, 190], 'taller than the map: its top stays in view')
})

test('on a map drawn at twice its size the pan is in the map’s own pixels', () => {
  assert.deepEqual(popupPan({ top: 400, bottom: 780, left: 400, right: 720 }, map, 2), [0, 50])
})
