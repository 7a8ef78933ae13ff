/**
 * An uploaded form file → its sheets of cells: .xlsx through the workbook adapter, .csv as Excel and
 * WPS save it. This is the work that costs memory and time in proportion to what the file holds, so it
 * runs in the upload reader's worker thread (read-upload.ts), never on the server's event loop.
 */
import { parse as parseCsv } from 'csv-parse/sync'
import type { FormKind } from '../domain/forms.js'
import { FORM_LIMITS, FormFileError } from './file-guard.js'
import { sheetOfRows, type SheetData } from './grid.js'
import { readWorkbookSheets } from './workbook.js'

export interface UploadedFile { name: string; bytes: Buffer }

export async function sheetsOfUpload(file: UploadedFile, form: FormKind): Promise<SheetData[]> {
  if (file.bytes.length > FORM_LIMITS.maxFileBytes) {
    throw new FormFileError('too_large', `文件大小超过上限 ${FORM_LIMITS.maxFileBytes / 1024 / 1024} MB`)
  }
  if (/\.csv$/i.test(file.name)) {
    if (form === 'systems') throw new FormFileError('unsupported_type', '《城市安全业务系统调研表》请上传 .xlsx 文件（每个系统一张工作表）')
    return [csvSheet(file)]
  }
  if (/\.xls$/i.test(file.name) && !/\.xlsx$/i.test(file.name)) {
    throw new FormFileError('not_xlsx', '这是旧版 Excel 97-2003 (.xls) 文件，请在 Excel 或 WPS 中“另存为” .xlsx 后再上传')
  }
  if (!/\.xlsx$/i.test(file.name)) throw new FormFileError('unsupported_type', `不支持的文件类型「${file.name}」：请上传 .xlsx${form === 'resources' ? ' 或 .csv' : ''} 文件`)
  return readWorkbookSheets(file.bytes)
}

/** A line of the form is a few hundred characters; one this long is not a table row. */
const MAX_CSV_RECORD = 128_000

/** CSV as Excel and WPS save it: UTF-8 with or without BOM, or GB18030 (Chinese Windows "ANSI"). */
function csvSheet(file: UploadedFile): SheetData {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes)
  } catch {
    text = new TextDecoder('gb18030').decode(file.bytes)
  }
  text = text.replace(/^\uFEFF/, '')
  if (text.includes('\u0000')) throw new FormFileError('not_csv', '文件不是文本格式的 CSV')
  // Lines counted and measured in one pass, before the parser makes a field of every comma.
  let lines = 1
  let lineStart = 0
  for (let i = 0; i <= text.length; i++) {
    const ch = i < text.length ? text.charCodeAt(i) : 10
    if (ch !== 10 && ch !== 13) continue
    if (i - lineStart > MAX_CSV_RECORD) {
      throw new FormFileError('too_long_line', `CSV 文件第 ${lines.toLocaleString('zh-CN')} 行超过 ${MAX_CSV_RECORD.toLocaleString('zh-CN')} 个字符，不是有效的表格行`)
    }
    if (ch === 13 && text.charCodeAt(i + 1) === 10) i++
    if (i < text.length) lines++
    lineStart = i + 1
  }
  if (lines > FORM_LIMITS.maxRowsPerSheet + 50) {
    throw new FormFileError('too_many_rows', `CSV 文件有 ${lines.toLocaleString('zh-CN')} 行，超过上限 ${FORM_LIMITS.maxRowsPerSheet.toLocaleString('zh-CN')} 行`)
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? ''
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ','
  let rows: string[][]
  try {
    rows = parseCsv(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true, max_record_size: MAX_CSV_RECORD }) as string[][]
  } catch (err) {
    if ((err as { code?: string }).code === 'CSV_MAX_RECORD_SIZE') {
      throw new FormFileError('too_long_line', `CSV 文件第 ${(err as { lines?: number }).lines ?? '?'} 行超过 ${MAX_CSV_RECORD.toLocaleString('zh-CN')} 个字符，不是有效的表格行`)
    }
    throw new FormFileError('not_csv', `CSV 文件格式有误：${err instanceof Error ? err.message : String(err)}`)
  }
  return sheetOfRows(file.name.replace(/\.csv$/i, ''), rows)
}
