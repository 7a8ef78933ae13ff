/**
 * Reads an uploaded form file in a worker thread with its own heap limit and a deadline (see
 * http/worker-task.ts), so that no file, however small or strange, can exhaust the server's memory
 * or hold up its other requests: a file that needs more is refused with a message.
 */
import type { FormKind } from '../domain/forms.js'
import { runWorkerTask, siblingModule, WorkerLimitError } from '../http/worker-task.js'
import { FORM_LIMITS, FormFileError } from './file-guard.js'
import type { SheetData } from './grid.js'
import type { UploadedFile } from './upload-sheets.js'

const WORKER = siblingModule(import.meta.url, 'read-worker')

const tooComplex = (why: string) =>
  new FormFileError('too_complex', `文件过于复杂：${why}。请删除表格中多余的工作表、行列、格式和合并单元格，或按部门拆分后分别上传`)

/** The sheets of an uploaded form, read in a worker thread (plain data, to hand to another thread). */
export async function readUploadSheets(file: UploadedFile, form: FormKind): Promise<SheetData[]> {
  if (file.bytes.length > FORM_LIMITS.maxFileBytes) {
    throw new FormFileError('too_large', `文件大小超过上限 ${FORM_LIMITS.maxFileBytes / 1024 / 1024} MB`)
  }
  try {
    const answer = await runWorkerTask<SheetData[]>(WORKER, { name: file.name, bytes: new Uint8Array(file.bytes), form },
      { heapMb: FORM_LIMITS.parserHeapMb, timeoutMs: FORM_LIMITS.parseTimeoutMs })
    if (!answer.ok) throw new FormFileError(answer.code, answer.message)
    return answer.value
  } catch (err) {
    if (err instanceof WorkerLimitError) {
      throw tooComplex(err.kind === 'memory' ? `读取所需内存超过上限 ${FORM_LIMITS.parserHeapMb} MB` : `读取超过 ${FORM_LIMITS.parseTimeoutMs / 1000} 秒仍未完成`)
    }
    throw err
  }
}
