/**
 * The cells of an uploaded form as the form parsers read them: a sparse grid that holds only the cells
 * with something in them. It is built off the main thread (see read-upload.ts) and crosses to it as
 * plain data, so its size is what was in the file, never the extent a sheet declares.
 */

/** One cell as the forms need it: its text, and its date or number when the cell holds one. */
export interface GridCell {
  text: string
  date?: Date
  number?: number
  /** Part of a merged range but not its top-left cell: the value shown is the range's. */
  mergedInto?: string
}

/** A sheet as plain, cloneable data: its non-empty cells by row, in order. */
export interface SheetData {
  name: string
  rows: { row: number; cells: [column: number, cell: GridCell][] }[]
}

export interface Grid {
  name: string
  /** The last row and column that hold anything (0 for an empty sheet). */
  rowCount: number
  columnCount: number
  /** 1-based row and column, as Excel numbers them. */
  cell(row: number, column: number): GridCell
}

const EMPTY: GridCell = { text: '' }

export function gridOf(sheet: SheetData): Grid {
  const rows = new Map<number, Map<number, GridCell>>()
  let rowCount = 0
  let columnCount = 0
  for (const { row, cells } of sheet.rows) {
    if (cells.length === 0) continue
    const byColumn = rows.get(row) ?? new Map<number, GridCell>()
    for (const [column, cell] of cells) {
      byColumn.set(column, cell)
      if (column > columnCount) columnCount = column
    }
    rows.set(row, byColumn)
    if (row > rowCount) rowCount = row
  }
  return {
    name: sheet.name,
    rowCount,
    columnCount,
    cell: (row, column) => rows.get(row)?.get(column) ?? EMPTY,
  }
}

/** A sheet over rows of text (a CSV file), keeping only the non-empty cells. */
export function sheetOfRows(name: string, rows: readonly (readonly string[])[]): SheetData {
  const out: SheetData['rows'] = []
  rows.forEach((r, i) => {
    const cells: [number, GridCell][] = []
    r.forEach((text, j) => { if (text !== '') cells.push([j + 1, { text }]) })
    if (cells.length) out.push({ row: i + 1, cells })
  })
  return { name, rows: out }
}
