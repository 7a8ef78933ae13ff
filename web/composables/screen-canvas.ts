/**
 * The wall screen's design canvas. The layout is drawn at a logical height of 1080 px; the configured
 * canvas (e.g. 3840×2160, or 5760×1080 for an LED wall) sets its aspect ratio, and the whole canvas
 * is then scaled with a CSS transform to fit the screen.
 */
export interface ScreenCanvas {
  /** The canvas as configured, in device pixels. */
  width: number
  height: number
  /** The logical layout size: height 1080, width by aspect ratio. */
  logicalWidth: number
  logicalHeight: number
}

const LOGICAL_HEIGHT = 1080
const DEFAULT_CANVAS = { width: 1920, height: 1080 }

/** Parses `canvas=3840x2160` (also `×` or `*`); falls back to 1920×1080 on anything odd. */
export function parseCanvas(value: unknown): ScreenCanvas {
  const m = typeof value === 'string' ? /^\s*(\d{3,5})\s*[x×*]\s*(\d{3,5})\s*$/i.exec(value) : null
  let { width, height } = DEFAULT_CANVAS
  if (m) {
    const w = Number(m[1])
    const h = Number(m[2])
    // Keep to sane screens: 640×360 up to 16K, at most 8:1 (spliced LED walls are wide).
    if (w >= 640 && h >= 360 && w <= 16384 && h <= 8640 && w / h <= 8 && h / w <= 2) {
      width = w
      height = h
    }
  }
  return { width, height, logicalWidth: Math.round((width * LOGICAL_HEIGHT) / height), logicalHeight: LOGICAL_HEIGHT }
}

/** Scale and offset that fit the logical canvas into a viewport without distortion (letterboxed). */
export function fitCanvas(canvas: ScreenCanvas, viewportWidth: number, viewportHeight: number) {
  const scale = Math.min(viewportWidth / canvas.logicalWidth, viewportHeight / canvas.logicalHeight)
  return {
    scale,
    offsetX: Math.max(0, (viewportWidth - canvas.logicalWidth * scale) / 2),
    offsetY: Math.max(0, (viewportHeight - canvas.logicalHeight * scale) / 2),
  }
}
