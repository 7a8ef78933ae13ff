/**
 * Checks an uploaded .xlsx before any parser sees it. An xlsx is a zip of XML parts; a hostile one can
 * be a zip bomb, carry XML entities (XXE, billion laughs), hold a million rows, or declare ranges that
 * a parser expands cell by cell. Everything here reads the zip's central directory and inflates each
 * part with a hard output cap, so memory stays bounded by the limits below whatever the file says.
 */
import { columnLetter } from '../domain/spreadsheet.js'
import { assertZipTotals, inflateZipEntry, readZipDirectory, ZipError, type ZipEntry, type ZipProblem } from '../http/zip.js'

export const FORM_LIMITS = {
  /** Upload size (also enforced on the request body). */
  maxFileBytes: 10 * 1024 * 1024,
  maxEntries: 500,
  /** Sum of all parts, inflated. */
  maxUncompressedBytes: 60 * 1024 * 1024,
  /** Inflated / compressed, over the whole file; real workbooks stay well under 100. */
  maxRatio: 200,
  maxSheets: 300,
  /** Rows per sheet, by count and by position: the annex-3 form of a whole department fits many times. */
  maxRowsPerSheet: 20_000,
  /** Columns a cell may sit in (the forms use 9); a cell beyond is refused by its position. */
  maxColumns: 64,
  /** Cells in all sheets together: what bounds the parser's memory (about 1.3 KB a cell). */
  maxCells: 120_000,
  /** Cells covered by merges, which the parser lays out cell by cell, per sheet. */
  maxRangeCells: 200_000,
  /**
   * Merged ranges per sheet: the parser checks each new one against all before it (time grows with the
   * square: 5,000 take about a second, 20,000 twenty). An exported department sheet has six a resource.
   */
  maxMerges: 4_000,
  /** Heap of the worker that parses one upload (read-upload.ts): a file that needs more is refused. */
  parserHeapMb: 160,
  /** A file still being read after this long is refused. */
  parseTimeoutMs: 20_000,
} as const

/** A refused file: the message says why, in Chinese, for the person who uploaded it. */
export class FormFileError extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
    this.name = 'FormFileError'
  }
}

const mib = (n: number) => `${Math.round(n / 1024 / 1024)} MB`

/** Old binary .xls (OLE2) starts with these bytes. */
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])

/** The uploader's words for a zip the shared reader refused. */
function formZipError(p: ZipProblem): FormFileError {
  switch (p.kind) {
    case 'not_zip': return new FormFileError('not_xlsx', '文件不是有效的 Excel (.xlsx) 文件，请使用下载的模板填写后上传')
    case 'no_directory': return new FormFileError('not_xlsx', '文件已损坏：找不到压缩包目录，不是有效的 .xlsx 文件')
    case 'zip64': return new FormFileError('not_xlsx', '不支持 ZIP64 格式的文件')
    case 'too_many_entries': return new FormFileError('too_many_parts', `文件包含 ${p.count} 个部件，超过上限 ${FORM_LIMITS.maxEntries}，疑似恶意文件`)
    case 'truncated_directory': return new FormFileError('not_xlsx', '文件已损坏：压缩包目录不完整')
    case 'unreadable_entry': return new FormFileError('not_xlsx', `文件已损坏：部件 ${p.entry} 无法读取`)
    case 'unsupported_method': return new FormFileError('not_xlsx', `文件使用了不支持的压缩方式（部件 ${p.entry}）`)
    case 'inflated_past_declared': return new FormFileError('zip_bomb', `部件 ${p.entry} 解压后超过其声明的大小，疑似压缩炸弹，已拒绝`)
    case 'inflate_failed': return new FormFileError('not_xlsx', `文件已损坏：部件 ${p.entry} 解压失败`)
    case 'total_too_large': return new FormFileError('zip_bomb', `文件解压后共 ${mib(p.declared)}，超过上限 ${mib(FORM_LIMITS.maxUncompressedBytes)}，已拒绝`)
    case 'ratio': return new FormFileError('zip_bomb', `文件压缩比 ${p.ratio}:1 异常，疑似压缩炸弹，已拒绝`)
  }
}

/** Runs a step of the shared zip reader, turning its refusals into the forms' messages. */
function guarded<T>(step: () => T): T {
  try {
    return step()
  } catch (err) {
    if (err instanceof ZipError) throw formZipError(err.problem)
    throw err
  }
}

function readCentralDirectory(buf: Buffer): ZipEntry[] {
  if (buf.length >= 8 && buf.subarray(0, 8).equals(OLE_MAGIC)) {
    throw new FormFileError('not_xlsx', '这是旧版 Excel 97-2003 (.xls) 文件，请在 Excel 或 WPS 中“另存为” .xlsx 后再上传')
  }
  return guarded(() => readZipDirectory(buf, FORM_LIMITS))
}

const inflateEntry = (buf: Buffer, e: ZipEntry): Buffer => guarded(() => inflateZipEntry(buf, e))

function rangeCells(ref: string): number {
  let total = 0
  for (const part of ref.trim().split(/\s+/)) {
    const m = /^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$/.exec(part)
    if (!m) continue
    const c1 = colNumber(m[1]!)
    const r1 = Number(m[2])
    const c2 = m[3] ? colNumber(m[3]) : c1
    const r2 = m[4] ? Number(m[4]) : r1
    total += (Math.abs(c2 - c1) + 1) * (Math.abs(r2 - r1) + 1)
  }
  return total
}

function colNumber(letters: string): number {
  let n = 0
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64)
  return n
}

const zh = (n: number) => n.toLocaleString('zh-CN')

/** Where a sheet's cells may sit: what the two forms need, with a wide margin. */
const EXTENT = `最多 ${zh(FORM_LIMITS.maxRowsPerSheet)} 行、${FORM_LIMITS.maxColumns} 列（A–${columnLetter(FORM_LIMITS.maxColumns)}）`

/**
 * A part that holds a worksheet's cells, whatever it is called: the xlsx reader finds worksheets by a
 * loose match on the part name (a leading slash or a prefix still matches), so the guard goes by content.
 */
const SHEET_DATA = /<(?:[A-Za-z_][\w.-]*:)?sheetData[\s>/]/

/** Row and cell start tags, with or without a namespace prefix; the attributes are captured. */
const ROW_OR_CELL = /<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s>/])([^>]*)>/g
const ROW_TAG = /<(?:[A-Za-z_][\w.-]*:)?row[\s>/]/g
const R_ATTRIBUTE = /\br\s*=\s*["']([^"']*)["']/

/**
 * Walks a worksheet's rows and cells in document order, tracking the position of those without an `r`
 * attribute as the xlsx reader does, and refuses the sheet at the first cell outside the extent or when
 * there are too many rows or cells. A cell far away (XFD1048576) is what makes a parser lay out a grid
 * of the declared size, so it is refused by its position, not by how many cells there are.
 */
function scanSheetCells(text: string, cellsBefore: number): number {
  let cells = cellsBefore
  let row = 0
  let column = 0
  let rowsInSheet = 0
  for (const _ of text.matchAll(ROW_TAG)) rowsInSheet++
  if (rowsInSheet > FORM_LIMITS.maxRowsPerSheet) {
    throw new FormFileError('too_many_rows', `工作表包含 ${zh(rowsInSheet)} 行，超过上限 ${zh(FORM_LIMITS.maxRowsPerSheet)} 行；请按部门拆分后分别上传`)
  }
  for (const m of text.matchAll(ROW_OR_CELL)) {
    const r = R_ATTRIBUTE.exec(m[2]!)?.[1]
    if (m[1] === 'row') {
      const n = r !== undefined && /^\d{1,9}$/.test(r.trim()) ? Number(r) : row + 1
      row = n
      column = 0
      continue
    }
    cells++
    if (cells > FORM_LIMITS.maxCells) {
      throw new FormFileError('too_many_cells', `工作簿单元格数量超过上限 ${zh(FORM_LIMITS.maxCells)} 个，请按部门拆分后分别上传`)
    }
    let cellRow = row
    const a = r === undefined ? null : /^\$?([A-Za-z]{1,4})\$?(\d{1,9})$/.exec(r.trim())
    if (a) {
      column = colNumber(a[1]!.toUpperCase())
      cellRow = Number(a[2])
    } else {
      column++
    }
    if (cellRow > FORM_LIMITS.maxRowsPerSheet || column > FORM_LIMITS.maxColumns) {
      const at = `${columnLetter(column)}${cellRow}`
      throw new FormFileError('outside_extent', `单元格 ${at} 超出了表格的有效范围（${EXTENT}）；请删除该单元格（及其所在行或列的多余内容和格式）后重新上传`)
    }
  }
  return cells
}

/**
 * Cells covered by merges, which the parser lays out cell by cell. Drop-downs, conditional formats and
 * hyperlinks can cover whole columns (reporters do that) and are never read (workbook.ts skips them).
 */
function mergesIn(text: string): { ranges: number; cells: number } {
  let ranges = 0
  let cells = 0
  for (const m of text.matchAll(/<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref\s*=\s*["']([^"']*)["']/g)) {
    ranges++
    cells += rangeCells(m[1]!)
  }
  return { ranges, cells }
}

/** A part name as the xlsx reader sees it: forward slashes, no leading slash. */
const partName = (name: string) => name.replace(/\\/g, '/').replace(/^\/+/, '')

/**
 * Refuses a file that is not a well-formed, reasonably sized xlsx; returns quietly otherwise.
 * Every part is inflated (within the zip limits) and judged by its content, not its name.
 * Throws FormFileError with a message for the uploader.
 */
export function assertSafeXlsx(buf: Buffer): void {
  if (buf.length > FORM_LIMITS.maxFileBytes) {
    throw new FormFileError('too_large', `文件大小 ${mib(buf.length)} 超过上限 ${mib(FORM_LIMITS.maxFileBytes)}`)
  }
  const entries = readCentralDirectory(buf)
  const names = new Set(entries.map((e) => partName(e.name)))
  if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) {
    throw new FormFileError('not_xlsx', '文件不是有效的 Excel (.xlsx) 工作簿（缺少 workbook.xml）')
  }
  guarded(() => assertZipTotals(entries, FORM_LIMITS))
  let sheets = 0
  let cellsInWorkbook = 0
  for (const e of entries) {
    if (e.name.endsWith('/') && e.uncompressedSize === 0) continue
    const part = inflateEntry(buf, e)
    if (part.length >= 2 && ((part[0] === 0xfe && part[1] === 0xff) || (part[0] === 0xff && part[1] === 0xfe))) {
      throw new FormFileError('unsafe_xml', `部件 ${e.name} 使用了不支持的编码`)
    }
    // Every tag and attribute looked for is ASCII: latin1 keeps one byte a character, half of UTF-16.
    const text = part.toString('latin1')
    if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
      throw new FormFileError('unsafe_xml', `文件包含 XML 实体声明（部件 ${e.name}），出于安全原因已拒绝`)
    }
    if (!SHEET_DATA.test(text)) continue
    if (++sheets > FORM_LIMITS.maxSheets) throw new FormFileError('too_many_sheets', `工作表数量超过上限 ${FORM_LIMITS.maxSheets}`)
    try {
      cellsInWorkbook = scanSheetCells(text, cellsInWorkbook)
    } catch (err) {
      if (err instanceof FormFileError && err.code === 'outside_extent') throw new FormFileError(err.code, `工作表部件 ${e.name}：${err.message}`)
      throw err
    }
    const { ranges, cells } = mergesIn(text)
    if (ranges > FORM_LIMITS.maxMerges) {
      throw new FormFileError('too_many_merges', `工作表有 ${zh(ranges)} 处合并单元格，超过上限 ${zh(FORM_LIMITS.maxMerges)} 处；请取消不必要的合并，或按部门拆分后分别上传`)
    }
    if (cells > FORM_LIMITS.maxRangeCells) {
      throw new FormFileError('too_large_ranges', `工作表的合并单元格覆盖 ${zh(cells)} 个单元格，超过上限 ${zh(FORM_LIMITS.maxRangeCells)}；请取消整列/整表范围的合并后重试`)
    }
  }
}
