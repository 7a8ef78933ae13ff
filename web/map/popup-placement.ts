/**
 * Where a click popup may go: no taller than the part of its map on screen (it scrolls beyond), and the
 * map panned to show it whole. Pure, without the DOM: use-atlas-map measures, these decide.
 */

/** Room kept between a click popup and the map's edge, in pixels. */
const POPUP_MARGIN = 10

/**
 * How tall a click popup may be, in the map's pixels: the map's height less the tip and a margin at
 * each end, never so short that nothing fits; the popup scrolls beyond it.
 */
export function popupMaxHeight(mapHeight: number): number {
  return Math.max(160, Math.floor(mapHeight - 2 * POPUP_MARGIN - 16))
}

interface Box { top: number; bottom: number; left: number; right: number }

/**
 * How far to pan a map (in its own pixels, as panBy takes them) for an open popup to lie inside it with
 * a margin: [0, 0] when it does. Boxes are on-screen rectangles; `scale` is the map's CSS scale (the
 * wall draws it scaled). Where the popup is larger than the map its top and left edges win.
 */
export function popupPan(popup: Box, map: Box, scale = 1): [number, number] {
  const m = POPUP_MARGIN * scale
  const along = (start: number, end: number, from: number, to: number) =>
    start < from + m ? start - (from + m) : end > to - m ? Math.min(end - (to - m), start - (from + m)) : 0
  const dx = along(popup.left, popup.right, map.left, map.right) / scale
  const dy = along(popup.top, popup.bottom, map.top, map.bottom) / scale
  return [Math.round(dx), Math.round(dy)]
}
