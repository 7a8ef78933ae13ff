import type { Map as MlMap, MapStyleImageMissingEvent } from 'maplibre-gl'
import { watch, type ShallowRef } from 'vue'
import { ICON_BOX, kindIconColors, parseKindIconId } from '../../map/kind-icons.js'
import type { KindIconSpec } from '../../map/kind-icons.js'
import { KIND_SHAPES, SHAPE_PATHS } from '../../map/map-theme.js'

/**
 * Draws the point symbols (kind shape × level colour) the first time a layer asks for one, at the
 * map's pixel ratio (the wall's is its scale) so they stay sharp; again after every style change.
 */
export function useKindIcons(map: ShallowRef<MlMap | null>) {
  const wired = new WeakSet<MlMap>()
  // Synchronously: the style starts loading as soon as the map exists, before a later flush.
  watch(map, (m) => {
    if (!m || wired.has(m)) return
    wired.add(m)
    m.on('styleimagemissing', (e: MapStyleImageMissingEvent) => {
      const spec = parseKindIconId(e.id)
      if (!spec || m.hasImage(e.id)) return
      const ratio = Math.max(2, Math.ceil(m.getPixelRatio()))
      m.addImage(e.id, drawKindIcon(spec, ratio), { pixelRatio: ratio })
    })
  }, { immediate: true, flush: 'sync' })
}

/** Draws an icon at a pixel ratio: the kind's shape filled with its colour inside the theme's outline. */
function drawKindIcon(spec: KindIconSpec, pixelRatio: number): { width: number; height: number; data: Uint8ClampedArray } {
  const size = Math.ceil(ICON_BOX * pixelRatio)
  const canvas = document.createElement('canvas')
  canvas.width = size
  canvas.height = size
  const ctx = canvas.getContext('2d')!
  ctx.scale(size / ICON_BOX, size / ICON_BOX)
  const shape = KIND_SHAPES[spec.kind]
  const path = new Path2D(SHAPE_PATHS[shape])
  const { fill, stroke } = kindIconColors(spec)
  ctx.lineJoin = 'round'
  if (shape === 'line') {
    ctx.lineCap = 'round'
    ctx.strokeStyle = stroke
    ctx.lineWidth = 4
    ctx.stroke(path)
    ctx.strokeStyle = fill
    ctx.lineWidth = 2.2
    ctx.stroke(path)
  } else {
    ctx.fillStyle = fill
    ctx.fill(path)
    ctx.strokeStyle = stroke
    ctx.lineWidth = 1.3
    ctx.stroke(path)
  }
  return { width: size, height: size, data: ctx.getImageData(0, 0, size, size).data }
}
