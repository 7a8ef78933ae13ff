import assert from 'node:assert/strict'
import { test } from 'vitest'
import type { LayerSpecification } from 'maplibre-gl'
import { FEATURE_KINDS, RISK_LEVELS } from '../../server/domain/enums.js'
import { featureLayers } from '../../web/map/feature-layers.js'
import { kindIconColors, kindIconExpression, kindIconId, parseKindIconId } from '../../web/map/kind-icons.js'
import { KIND_ORDER, KIND_SHAPES, PALETTES, RISK_COLORS } from '../../web/map/map-theme.js'

const all = { visibleKinds: KIND_ORDER, showImpactRadius: true }
const risk = new Set(Object.values(RISK_COLORS).map((c) => c.toLowerCase()))
const layer = (layers: LayerSpecification[], id: string) => layers.find((l) => l.id === id)!
/** Every colour literal in a value. */
const colours = (v: unknown): string[] => JSON.stringify(v).match(/#[0-9a-f]{6}/gi)?.map((c) => c.toLowerCase()) ?? []

test('every kind has its own shape; colour is never a kind', () => {
  const shapes = FEATURE_KINDS.map((k) => KIND_SHAPES[k.code])
  assert.equal(new Set(shapes).size, FEATURE_KINDS.length)
  for (const theme of ['dark', 'light'] as const) {
    const p = PALETTES[theme]
    for (const c of [p.ungraded, p.ungradedLine, p.clusterFill, p.clusterFillDense, p.clusterFillDensest]) assert.ok(!risk.has(c.toLowerCase()), `${theme} ${c} is not a risk colour`)
  }
})

test('points are drawn as their kind\'s shape in their level\'s colour, neutral when ungraded', () => {
  for (const theme of ['dark', 'light'] as const) {
    const layers = featureLayers(theme, all)
    for (const id of ['points', 'alert-points']) {
      const l = layer(layers, id)
      assert.equal(l.type, 'symbol', id)
      assert.deepEqual((l.layout as Record<string, unknown>)['icon-image'], kindIconExpression(theme))
      assert.equal((l.layout as Record<string, unknown>)['icon-allow-overlap'], true, 'every point is drawn')
    }
    assert.deepEqual(kindIconColors({ level: 'red', theme }).fill, RISK_COLORS.red)
    assert.deepEqual(kindIconColors({ level: null, theme }).fill, PALETTES[theme].ungraded)
    // Lines and areas: the level where graded, else the neutral line colour; nothing else.
    for (const id of ['pipelines', 'areas-fill']) {
      const found = new Set(colours(layer(layers, id).paint))
      assert.deepEqual([...found].sort(), [...new Set([...risk, PALETTES[theme].ungradedLine.toLowerCase()])].sort(), id)
    }
  }
})

test('a cluster is neutral inside, ringed by its worst level, and its count is drawn above every point', () => {
  const layers = featureLayers('dark', all)
  const fill = colours((layer(layers, 'clusters').paint as Record<string, unknown>)['circle-color'])
  assert.ok(fill.every((c) => !risk.has(c)), 'no cluster is 低风险 blue')
  const ring = colours((layer(layers, 'clusters').paint as Record<string, unknown>)['circle-stroke-color'])
  for (const r of RISK_LEVELS) assert.ok(ring.includes(r.color.toLowerCase()))
  const ids = layers.map((l) => l.id)
  assert.ok(ids.indexOf('cluster-count') > ids.indexOf('alert-points'))
  assert.ok(ids.indexOf('cluster-count') > ids.indexOf('points'))
  const tiled = featureLayers('dark', { ...all, tiled: true }).map((l) => l.id)
  assert.ok(tiled.indexOf('alert-cluster-count') > tiled.indexOf('alert-points'))
  assert.ok(tiled.indexOf('cluster-count') > tiled.indexOf('alert-clusters'))
})

test('icon ids name kind, level and theme, and only ours are drawn', () => {
  const id = kindIconId({ kind: 'emergency-resource', level: null, theme: 'dark' })
  assert.equal(id, 'atlas-kind:emergency-resource:none:dark')
  assert.deepEqual(parseKindIconId(id), { kind: 'emergency-resource', level: null, theme: 'dark' })
  assert.deepEqual(parseKindIconId('atlas-kind:hazard-source:red:light'), { kind: 'hazard-source', level: 'red', theme: 'light' })
  for (const bad of ['airport', 'atlas-kind:ship:red:dark', 'atlas-kind:facility:purple:dark', 'atlas-kind:facility:none:sepia', 'atlas-kind:facility:none:dark:x']) {
    assert.equal(parseKindIconId(bad), null, bad)
  }
})
