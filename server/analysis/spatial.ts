/**
 * Spatial coverage: features per grid cell and per district (from the trigger-kept tallies, never the
 * features table), and the grid cells with nothing.
 */
export function spatialCoverage(
  tally: { cell_id: string | number; district_code?: string | number; n: number }[],
  byDistrictRows: { district_code: string | number; n: number }[],
  regions: { cells: { id: number; code: string; grid_row: number | null; grid_col: number | null; focus: number }[]; districts: { code: string; name: string; focus: number }[] },
) {
  const perCell = new Map<number, number>()
  for (const r of tally) {
    const id = Number(r.cell_id)
    if (id >= 0) perCell.set(id, (perCell.get(id) ?? 0) + r.n)
  }
  const cells = regions.cells.map((c) => ({ cellId: c.id, code: c.code, row: c.grid_row, col: c.grid_col, inside: c.focus === 1, n: perCell.get(c.id) ?? 0 }))
  const perDistrict = new Map<string, number>()
  for (const r of byDistrictRows) if (r.district_code) perDistrict.set(String(r.district_code), (perDistrict.get(String(r.district_code)) ?? 0) + r.n)
  const districts = regions.districts.map((d) => ({ code: d.code, name: d.name, focus: d.focus === 1, n: perDistrict.get(d.code) ?? 0 }))
    .filter((d) => d.n > 0 || d.focus)
    .sort((a, b) => b.n - a.n)
  const counts = cells.map((c) => c.n)
  return {
    total: cells.reduce((s, c) => s + c.n, 0),
    max: counts.length ? Math.max(...counts) : 0,
    cells,
    emptyCells: cells.filter((c) => c.n === 0).map((c) => c.code),
    districts,
  }
}
