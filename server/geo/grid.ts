import { pointInArea, type Bbox, type Geometry, type Position } from './geometry.js'

/** A regular lon/lat grid of cells of about `cellKm` kilometres over an area. */
export interface GridSpec {
  originX: number
  originY: number
  dx: number
  dy: number
  rows: number
  cols: number
}

export interface GridCell {
  row: number
  col: number
  code: string
  bbox: Bbox
  /** Entirely inside the area: every point in the cell belongs to it. */
  inside: boolean
}

const KM_PER_DEG_LAT = 111.32

/** The grid spec covering a bounding box with cells of about `cellKm` km at its mean latitude. */
export function gridSpecFor(b: Bbox, cellKm = 1): GridSpec {
  const dy = cellKm / KM_PER_DEG_LAT
  const dx = cellKm / (KM_PER_DEG_LAT * Math.cos((((b[1] + b[3]) / 2) * Math.PI) / 180))
  return { originX: b[0], originY: b[1], dx, dy, cols: Math.ceil((b[2] - b[0]) / dx), rows: Math.ceil((b[3] - b[1]) / dy) }
}

function cellCode(row: number, col: number): string {
  return `G${String(row).padStart(3, '0')}${String(col).padStart(3, '0')}`
}

/** Row and column of the cell holding a point, or null outside the grid. */
export function cellAt(spec: GridSpec, p: Position): { row: number; col: number } | null {
  const col = Math.floor((p[0] - spec.originX) / spec.dx)
  const row = Math.floor((p[1] - spec.originY) / spec.dy)
  if (row < 0 || col < 0 || row >= spec.rows || col >= spec.cols) return null
  return { row, col }
}

/** The cells of the grid that touch the area (sampled at corners, centre and edge midpoints, plus the area's own vertices). */
export function cellsOver(spec: GridSpec, area: Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>): GridCell[] {
  const vertexCells = new Set<string>()
  const rings = area.type === 'Polygon' ? area.coordinates : area.coordinates.flat()
  for (const ring of rings) for (const v of ring) {
    const c = cellAt(spec, v)
    if (c) vertexCells.add(`${c.row}:${c.col}`)
  }
  const cells: GridCell[] = []
  for (let row = 0; row < spec.rows; row++) {
    for (let col = 0; col < spec.cols; col++) {
      const x0 = spec.originX + col * spec.dx
      const y0 = spec.originY + row * spec.dy
      const x1 = x0 + spec.dx
      const y1 = y0 + spec.dy
      const samples: Position[] = [
        [x0, y0], [x1, y0], [x0, y1], [x1, y1], [(x0 + x1) / 2, (y0 + y1) / 2],
        [(x0 + x1) / 2, y0], [(x0 + x1) / 2, y1], [x0, (y0 + y1) / 2], [x1, (y0 + y1) / 2],
      ]
      const hits = samples.filter((p) => pointInArea(p, area)).length
      const crossed = vertexCells.has(`${row}:${col}`)
      if (hits === 0 && !crossed) continue
      cells.push({ row, col, code: cellCode(row, col), bbox: [x0, y0, x1, y1], inside: hits === samples.length && !crossed })
    }
  }
  return cells
}
