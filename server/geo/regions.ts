import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Db } from '../db/connect.js'
import { bboxOf, bboxContains, pointInArea, type Bbox, type Geometry, type Position } from './geometry.js'
import { cellAt, cellsOver, gridSpecFor, type GridSpec } from './grid.js'

type Area = Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>

/** The district the demo city and the grid are built on. */
export const FOCUS_DISTRICT = { code: '500112', name: '渝北区' } as const

const BOUNDARIES_FILE = fileURLToPath(new URL('../../data/boundaries/chongqing-districts.geojson', import.meta.url))

interface BoundaryFeature { properties: { code: string; name: string }; geometry: Area }

/** Chongqing's district boundaries, from the committed reference file (see data/boundaries). */
export function loadBoundaries(): BoundaryFeature[] {
  return (JSON.parse(readFileSync(BOUNDARIES_FILE, 'utf8')) as { features: BoundaryFeature[] }).features
}

/** Inserts the district boundaries and a ~1 km grid over the focus district, once. */
export function seedRegions(db: Db): void {
  const { sqlite } = db
  const count = sqlite.prepare(`SELECT count(*) AS n FROM regions`).get() as { n: number }
  if (count.n > 0) return
  const districts = loadBoundaries()
  const focus = districts.find((d) => d.properties.code === FOCUS_DISTRICT.code)
  if (!focus) throw new Error(`boundary file has no ${FOCUS_DISTRICT.name}`)
  const insert = sqlite.prepare(`INSERT INTO regions (kind, code, name, parent_code, focus, grid_row, grid_col, geometry, min_x, min_y, max_x, max_y)
    VALUES (@kind, @code, @name, @parent, @focus, @row, @col, @geometry, @minX, @minY, @maxX, @maxY)`)
  const spec = gridSpecFor(bboxOf(focus.geometry), 1)
  sqlite.transaction(() => {
    for (const d of districts) {
      const [minX, minY, maxX, maxY] = bboxOf(d.geometry)
      insert.run({ kind: 'district', code: d.properties.code, name: d.properties.name, parent: '500000',
        focus: d.properties.code === FOCUS_DISTRICT.code ? 1 : 0, row: null, col: null,
        geometry: JSON.stringify(d.geometry), minX, minY, maxX, maxY })
    }
    for (const c of cellsOver(spec, focus.geometry)) {
      const [x0, y0, x1, y1] = c.bbox
      const ring: Position[] = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
      insert.run({ kind: 'grid', code: c.code, name: `网格${c.code}`, parent: FOCUS_DISTRICT.code, focus: c.inside ? 1 : 0,
        row: c.row, col: c.col, geometry: JSON.stringify({ type: 'Polygon', coordinates: [ring.map(roundPos)] }),
        minX: x0, minY: y0, maxX: x1, maxY: y1 })
    }
    sqlite.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('grid', ?)`).run(JSON.stringify(spec))
  })()
}

function roundPos(p: Position): Position {
  return [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6]
}

interface CellInfo { id: number; inside: boolean }
interface DistrictInfo { code: string; name: string; bbox: Bbox; area: Area }

/** Finds the district and grid cell of a point; built once from the regions table. */
export class RegionLocator {
  private constructor(
    private readonly spec: GridSpec | null,
    private readonly cells: Map<number, CellInfo>,
    private readonly districts: DistrictInfo[],
    readonly focus: DistrictInfo | null,
  ) {}

  static load(db: Db): RegionLocator {
    const rows = db.sqlite.prepare(`SELECT id, kind, code, name, focus, grid_row, grid_col, geometry, min_x, min_y, max_x, max_y FROM regions`).all() as {
      id: number; kind: string; code: string; name: string; focus: number; grid_row: number | null; grid_col: number | null
      geometry: string; min_x: number; min_y: number; max_x: number; max_y: number
    }[]
    const specRow = db.sqlite.prepare(`SELECT value FROM meta WHERE key = 'grid'`).get() as { value: string } | undefined
    const spec = specRow ? (JSON.parse(specRow.value) as GridSpec) : null
    const cells = new Map<number, CellInfo>()
    const districts: DistrictInfo[] = []
    let focus: DistrictInfo | null = null
    for (const r of rows) {
      if (r.kind === 'grid' && spec) cells.set(r.grid_row! * spec.cols + r.grid_col!, { id: r.id, inside: r.focus === 1 })
      if (r.kind === 'district') {
        const d = { code: r.code, name: r.name, bbox: [r.min_x, r.min_y, r.max_x, r.max_y] as Bbox, area: JSON.parse(r.geometry) as Area }
        districts.push(d)
        if (r.focus === 1) focus = d
      }
    }
    return new RegionLocator(spec, cells, districts, focus)
  }

  /** The grid cell id holding a point, or null outside the grid. */
  cellOf(p: Position): number | null {
    if (!this.spec) return null
    const rc = cellAt(this.spec, p)
    return rc ? (this.cells.get(rc.row * this.spec.cols + rc.col)?.id ?? null) : null
  }

  /** District code and grid cell of a point. */
  locate(p: Position): { districtCode: string | null; cellId: number | null } {
    let cellId: number | null = null
    if (this.spec) {
      const rc = cellAt(this.spec, p)
      const cell = rc ? this.cells.get(rc.row * this.spec.cols + rc.col) : undefined
      if (cell) {
        cellId = cell.id
        // A cell wholly inside the focus district needs no polygon test.
        if (cell.inside && this.focus) return { districtCode: this.focus.code, cellId }
      }
    }
    // Neighbouring boundaries overlap slightly where the source data is quantised: the focus district wins.
    if (this.focus && this.inFocus(p)) return { districtCode: this.focus.code, cellId }
    for (const d of this.districts) {
      if (d !== this.focus && bboxContains(d.bbox, p) && pointInArea(p, d.area)) return { districtCode: d.code, cellId }
    }
    return { districtCode: null, cellId }
  }

  /** Whether a point lies inside the focus district. */
  inFocus(p: Position): boolean {
    return this.focus !== null && bboxContains(this.focus.bbox, p) && pointInArea(p, this.focus.area)
  }
}
