/**
 * Checks an uploaded .xlsx before any parser sees it. An xlsx is a zip of XML parts; a hostile one can
 * be a zip bomb, carry XML entities (XXE, billion laughs), hold a million rows, or declare ranges that
 * a parser expands cell by cell. Everything here reads the zip's central directory and inflates each
 * part with a hard output cap, so memory stays bounded by the limits below whatever the file says.
 */
import { inflateRawSync } from 'node:zlib'

export const FORM_LIMITS = {
  /** Upload size (also enforced on the request body). */
  maxFileBytes: 10 * 1024 * 1024,
  maxEntries: 500,
  /** Sum of all parts, inflated. */
  maxUncompressedBytes: 60 * 1024 * 1024,
  /** Inflated / compressed, over the whole file; real workbooks stay well under 100. */
  maxRatio: 200,
  maxSheets: 300,
  maxRowsPerSheet: 20_000,
  /** Cells in all sheets together: what bounds the parser's memory (about 1.3 KB a cell). */
  maxCells: 250_000,
  /** Cells covered by merges, data validations and other ranges a parser may expand, per sheet. */
  maxRangeCells: 2_000_000,
} as const

/** A refused file: the message says why, in Chinese, for the person who uploaded it. */
export class FormFileError extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
    this.name = 'FormFileError'
  }
}

interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  uncompressedSize: number
  localHeaderOffset: number
}

const mib = (n: number) => `${Math.round(n / 1024 / 1024)} MB`

/** Old binary .xls (OLE2) starts with these bytes. */
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])

function readCentralDirectory(buf: Buffer): ZipEntry[] {
  if (buf.length >= 8 && buf.subarray(0, 8).equals(OLE_MAGIC)) {
    throw new FormFileError('not_xlsx', '这是旧版 Excel 97-2003 (.xls) 文件，请在 Excel 或 WPS 中“另存为” .xlsx 后再上传')
  }
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50) {
    throw new FormFileError('not_xlsx', '文件不是有效的 Excel (.xlsx) 文件，请使用下载的模板填写后上传')
  }
  // End of central directory: the last 22 bytes plus a comment of at most 65,535 bytes.
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break }
  }
  if (eocd < 0) throw new FormFileError('not_xlsx', '文件已损坏：找不到压缩包目录，不是有效的 .xlsx 文件')
  const count = buf.readUInt16LE(eocd + 10)
  const cdOffset = buf.readUInt32LE(eocd + 16)
  if (count === 0xffff || cdOffset === 0xffffffff) throw new FormFileError('not_xlsx', '不支持 ZIP64 格式的文件')
  if (count > FORM_LIMITS.maxEntries) throw new FormFileError('too_many_parts', `文件包含 ${count} 个部件，超过上限 ${FORM_LIMITS.maxEntries}，疑似恶意文件`)
  const entries: ZipEntry[] = []
  let p = cdOffset
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new FormFileError('not_xlsx', '文件已损坏：压缩包目录不完整')
    const nameLength = buf.readUInt16LE(p + 28)
    const extraLength = buf.readUInt16LE(p + 30)
    const commentLength = buf.readUInt16LE(p + 32)
    entries.push({
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localHeaderOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLength),
    })
    p += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

function inflateEntry(buf: Buffer, e: ZipEntry): Buffer {
  const h = e.localHeaderOffset
  if (h + 30 > buf.length || buf.readUInt32LE(h) !== 0x04034b50) throw new FormFileError('not_xlsx', `文件已损坏：部件 ${e.name} 无法读取`)
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28)
  const data = buf.subarray(start, start + e.compressedSize)
  if (e.method === 0) return data
  if (e.method !== 8) throw new FormFileError('not_xlsx', `文件使用了不支持的压缩方式（部件 ${e.name}）`)
  try {
    // The declared size is a promise the data must keep: inflating stops one byte past it.
    return inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ERR_BUFFER_TOO_LARGE' || (err instanceof RangeError)) {
      throw new FormFileError('zip_bomb', `部件 ${e.name} 解压后超过其声明的大小，疑似压缩炸弹，已拒绝`)
    }
    throw new FormFileError('not_xlsx', `文件已损坏：部件 ${e.name} 解压失败`)
  }
}

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

function countOccurrences(text: string, re: RegExp): number {
  let n = 0
  for (const _ of text.matchAll(re)) n++
  return n
}

/**
 * Refuses a file that is not a well-formed, reasonably sized xlsx; returns quietly otherwise.
 * Throws FormFileError with a message for the uploader.
 */
export function assertSafeXlsx(buf: Buffer): void {
  if (buf.length > FORM_LIMITS.maxFileBytes) {
    throw new FormFileError('too_large', `文件大小 ${mib(buf.length)} 超过上限 ${mib(FORM_LIMITS.maxFileBytes)}`)
  }
  const entries = readCentralDirectory(buf)
  if (!entries.some((e) => e.name === '[Content_Types].xml') || !entries.some((e) => e.name === 'xl/workbook.xml')) {
    throw new FormFileError('not_xlsx', '文件不是有效的 Excel (.xlsx) 工作簿（缺少 workbook.xml）')
  }
  const declared = entries.reduce((s, e) => s + e.uncompressedSize, 0)
  const compressed = entries.reduce((s, e) => s + e.compressedSize, 0)
  if (declared > FORM_LIMITS.maxUncompressedBytes) {
    throw new FormFileError('zip_bomb', `文件解压后共 ${mib(declared)}，超过上限 ${mib(FORM_LIMITS.maxUncompressedBytes)}，已拒绝`)
  }
  if (compressed > 0 && declared / compressed > FORM_LIMITS.maxRatio && declared > 1024 * 1024) {
    throw new FormFileError('zip_bomb', `文件压缩比 ${Math.round(declared / compressed)}:1 异常，疑似压缩炸弹，已拒绝`)
  }
  const sheets = entries.filter((e) => /^xl\/worksheets\/[^/]+\.xml$/.test(e.name))
  if (sheets.length > FORM_LIMITS.maxSheets) throw new FormFileError('too_many_sheets', `工作表数量 ${sheets.length} 超过上限 ${FORM_LIMITS.maxSheets}`)
  let cellsInWorkbook = 0
  for (const e of entries) {
    if (!/\.(xml|rels|vml)$/i.test(e.name)) continue
    const part = inflateEntry(buf, e)
    if (part.length >= 2 && ((part[0] === 0xfe && part[1] === 0xff) || (part[0] === 0xff && part[1] === 0xfe))) {
      throw new FormFileError('unsafe_xml', `部件 ${e.name} 使用了不支持的编码`)
    }
    const text = part.toString('utf8')
    if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
      throw new FormFileError('unsafe_xml', `文件包含 XML 实体声明（部件 ${e.name}），出于安全原因已拒绝`)
    }
    if (sheets.includes(e)) {
      const rows = countOccurrences(text, /<row[\s>/]/g)
      if (rows > FORM_LIMITS.maxRowsPerSheet) {
        throw new FormFileError('too_many_rows', `工作表包含 ${rows.toLocaleString('zh-CN')} 行，超过上限 ${FORM_LIMITS.maxRowsPerSheet.toLocaleString('zh-CN')} 行`)
      }
      cellsInWorkbook += countOccurrences(text, /<c[\s>/]/g)
      if (cellsInWorkbook > FORM_LIMITS.maxCells) {
        throw new FormFileError('too_many_cells', `工作簿单元格数量超过上限 ${FORM_LIMITS.maxCells.toLocaleString('zh-CN')} 个，请按部门拆分后分别上传`)
      }
      let cells = 0
      for (const m of text.matchAll(/<(?:mergeCell|dataValidation|conditionalFormatting|hyperlink)\b[^>]*?\b(?:ref|sqref)="([^"]*)"/g)) cells += rangeCells(m[1]!)
      if (cells > FORM_LIMITS.maxRangeCells) {
        throw new FormFileError('too_large_ranges', `工作表的合并单元格或数据验证覆盖 ${cells.toLocaleString('zh-CN')} 个单元格，超过上限；请删除整列/整表范围的设置后重试`)
      }
    }
  }
}
