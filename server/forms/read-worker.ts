/**
 * The worker module that reads one uploaded form file (see read-upload.ts): it gets the bytes and
 * answers with the sheets or with the refusal.
 */
import type { FormKind } from '../domain/forms.js'
import type { WorkerAnswer } from '../http/worker-task.js'
import { FormFileError } from './file-guard.js'
import type { SheetData } from './grid.js'
import { sheetsOfUpload } from './upload-sheets.js'

export async function answer(request: { name: string; bytes: Uint8Array; form: FormKind }): Promise<WorkerAnswer<SheetData[]>> {
  try {
    const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength)
    return { ok: true, value: await sheetsOfUpload({ name: request.name, bytes }, request.form) }
  } catch (err) {
    return err instanceof FormFileError
      ? { ok: false, code: err.code, message: err.message }
      : { ok: false, code: 'not_readable', message: '文件无法读取，可能已损坏；请使用下载的模板填写后上传' }
  }
}
