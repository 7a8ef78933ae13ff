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
  const lines = text.split(/\r\n|\n|\r/).length
  if (lines > FORM_LIMITS.maxRowsPerSheet + 50) {
    throw new FormFileError('too_many_rows', `CSV 文件有 ${lines.toLocaleString('zh-CN')} 行，超过上限 ${FORM_LIMITS.maxRowsPerSheet.toLocaleString('zh-CN')} 行`)
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? ''
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ','
  let rows: string[][]
  try {
    rows = parseCsv(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true }) as string[][]
  } catch (err) {
    throw new FormFileError('not_csv', `CSV 文件格式有误：${err instanceof Error ? err.message : String(err)}`)
  }
  return sheetOfRows(file.name.replace(/\.csv$/i, ''), rows)
}
