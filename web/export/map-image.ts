/**
 * The current map view as a PNG for a report: a title band (what, where, which data), the map as it
 * is drawn, a legend of the risk levels and layers with their counts, a scale bar, and a footer with
 * the time and who exported it. Drawn on a canvas from the map's own (kept) drawing buffer.
 */

export interface MapImageParts {
  title: string
  /** The scope and filter lines, e.g. 仅公开数据 · 领域：公共安全. */
  subtitle: string
  legend: { label: string; color: string; count: number }[]
  /** The layers shown, each with its shape (an SVG path in a 16 × 16 box; a line is stroked). */
  layers: { label: string; count: number; path?: string; line?: boolean }[]
  footer: string
  /** Metres one CSS pixel of the map covers at its centre (for the scale bar). */
  metresPerPixel: number
}

export interface MapImageLayout {
  scale: number
  width: number
  height: number
  header: number
  footer: number
  legend: { x: number; y: number; w: number; h: number; row: number }
  bar: { metres: number; px: number; label: string }
}

const HEADER = 64
const FOOTER = 30
const ROW = 18

/** A round scale length (1, 2 or 5 × 10^n metres) that is at most `maxPx` CSS pixels long. */
export function scaleBar(metresPerPixel: number, maxPx = 120): { metres: number; px: number; label: string } {
  const max = metresPerPixel * maxPx
  const pow = 10 ** Math.floor(Math.log10(max))
  const metres = [5, 2, 1].map((m) => m * pow).find((m) => m <= max) ?? pow
  return { metres, px: metres / metresPerPixel, label: metres >= 1000 ? `${metres / 1000} 公里` : `${metres} 米` }
}

/** Where everything goes, in device pixels of a map drawn `cssWidth` × `cssHeight` at `scale`. */
export function mapImageLayout(cssWidth: number, cssHeight: number, scale: number, parts: MapImageParts): MapImageLayout {
  const rows = parts.legend.length + parts.layers.length + 2
  const w = 190
  const h = rows * ROW + 16
  return {
    scale,
    width: Math.round(cssWidth * scale),
    height: Math.round((cssHeight + HEADER + FOOTER) * scale),
    header: HEADER,
    footer: FOOTER,
    legend: { x: 12, y: HEADER + cssHeight - h - 12, w, h, row: ROW },
    bar: scaleBar(parts.metresPerPixel),
  }
}
