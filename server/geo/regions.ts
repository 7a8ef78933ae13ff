import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Insertable } from 'kysely'
import type { Db } from '../db/connect.js'
import { inTransaction, insertMany } from '../db/dialect.js'
import type { RegionsTable } from '../db/schema.js'
import { bboxOf, bboxContains, pointInArea, type Bbox, type Geometry, type Position } from './geometry.js'
import { cellAt, cellsOver, gridSpecFor, type GridSpec } from './grid.js'

type Area = Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>

/** A district of Chongqing an atlas serves: its administrative code and name. */
export interface District { code: string; name: string }

/** The district an atlas serves unless ATLAS_DISTRICT names another: the survey notice's own (seed 000). */
export const FOCUS_DISTRICT: District = { code: '500112', name: '渝北区' }

const BOUNDARIES_FILE = fileURLToPath(new URL('../../data/boundaries/chongqing-districts.geojson', import.meta.url))

interface BoundaryFeature { properties: { code: string; name: string }; geometry: Area }

/** Chongqing's district boundaries, from the committed reference file (see data/boundaries). */
export function loadBoundaries(): BoundaryFeature[] {
  return (JSON.parse(readFileSync(BOUNDARIES_FILE, 'utf8')) as { features: BoundaryFeature[] }).features
}

let districtList: District[] | null = null

/** The district with this name (江北区) or code (500105), or null when Chongqing has none. */
export function districtNamed(nameOrCode: string): District | null {
  // Names and codes only, read once: the configuration asks on every load, the geometry is not needed.
  districtList ??= loadBoundaries().map((d) => ({ code: d.properties.code, name: d.properties.name }))
  const key = nameOrCode.trim()
  return districtList.find((d) => d.code === key || d.name === key) ?? null
}

/**
 * Inserts the district boundaries and a ~1 km grid over the atlas's own district, once. A database
 * already made for another district is refused: its grid, features and forms belong to that one.
 */
export async function seedRegions(db: Db, district: District = FOCUS_DISTRICT): Promise<void> {
  const seeded = await db.kysely.selectFrom('regions').select(['code', 'name']).where('kind', '=', 'district').where('focus', '=', 1).executeTakeFirst()
  if (seeded) {
    if (seeded.code !== district.code) throw new Error(`this database belongs to ${seeded.name} (${seeded.code}), not ${district.name}: set ATLAS_DISTRICT=${seeded.name} or use another database`)
    return
  }
  const districts = loadBoundaries()
  const focus = districts.find((d) => d.properties.code === district.code)
  if (!focus) throw new Error(`boundary file has no ${district.name}`)
  const spec = gridSpecFor(bboxOf(focus.geometry), 1)
  const rows: Insertable<RegionsTable>[] = []
  for (const d of districts) {
    const [minX, minY, maxX, maxY] = bboxOf(d.geometry)
    rows.push({ kind: 'district', code: d.properties.code, name: d.properties.name, parent_code: '500000',
      focus: d.properties.code === district.code ? 1 : 0, grid_row: null, grid_col: null,
      geometry: JSON.stringify(d.geometry), min_x: minX, min_y: minY, max_x: maxX, max_y: maxY })
  }
  for (const c of cellsOver(spec, focus.geometry)) {
    const [x0, y0, x1, y1] = c.bbox
    const ring: Position[] = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    rows.push({ kind: 'grid', code: c.code, name: `网格${c.code}`, parent_code: district.code, focus: c.inside ? 1 : 0,
      grid_row: c.row, grid_col: c.col, geometry: JSON.stringify({ type: 'Polygon', coordinates: [ring.map(roundPos)] }),
      min_x: x0, min_y: y0, max_x: x1, max_y: y1 })
  }
  await inTransaction(db, async (trx) => {
    await insertMany(trx, 'regions', rows)
    await trx.insertInto('meta').values({ key: 'grid', value: JSON.stringify(spec) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') })).execute()
  })
}

function roundPos(p: Position): Position {
  return [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6]
}

interface CellInfo { id: number; inside: boolean }
interface DistrictInfo { code: string; name: string; bbox: Bbox; area: Area }

/** Finds the district and grid cell of a point; built once from the regions table. */
let keptLocator: { url: string; locator: RegionLocator } | null = null

export class RegionLocator {
  private constructor(
    private readonly spec: GridSpec | null,
    private readonly cells: Map<number, CellInfo>,
    private readonly districts: DistrictInfo[],
    readonly focus: DistrictInfo | null,
  ) {}

  /**
   * The locator of the database at `url`, kept for this thread's next call: the regions never change
   * once a database is prepared (a worker kept for its next task keeps them).
   */
  static async kept(url: string, db: Db): Promise<RegionLocator> {
    if (keptLocator?.url !== url) keptLocator = { url, locator: await RegionLocator.load(db) }
    return keptLocator.locator
  }

  static async load(db: Db): Promise<RegionLocator> {
    const rows = await db.kysely.selectFrom('regions')
      .select(['id', 'kind', 'code', 'name', 'focus', 'grid_row', 'grid_col', 'geometry', 'min_x', 'min_y', 'max_x', 'max_y'])
      // In id order: where district boundaries overlap, the first one listed wins (the focus district aside).
      .orderBy('id').execute()
    const specRow = await db.kysely.selectFrom('meta').select('value').where('key', '=', 'grid').executeTakeFirst()
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
