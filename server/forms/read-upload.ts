/**
 * Reads an uploaded form file in a worker thread with its own heap limit and a deadline, so that no
 * file, however small or strange, can exhaust the server's memory or hold up its other requests: a
 * file that needs more is refused with a message, and the worker is gone with all it allocated.
 */
import { Worker } from 'node:worker_threads'
import type { FormKind } from '../domain/forms.js'
import { FORM_LIMITS, FormFileError } from './file-guard.js'
import { gridOf, type Grid } from './grid.js'
import type { ReadAnswer, ReadRequest } from './read-worker.js'
import type { UploadedFile } from './upload-sheets.js'

/** The worker's module next to this one (TypeScript when run from source), started through the shared entry. */
const WORKER_MODULE = new URL(import.meta.url.endsWith('.ts') ? './read-worker.ts' : './read-worker.js', import.meta.url).href
const WORKER_ENTRY = new URL('../http/worker-entry.mjs', import.meta.url)

const tooComplex = (why: string) =>
  new FormFileError('too_complex', `文件过于复杂：${why}。请删除表格中多余的工作表、行列、格式和合并单元格，或按部门拆分后分别上传`)

export function readUploadGrids(file: UploadedFile, form: FormKind): Promise<Grid[]> {
  if (file.bytes.length > FORM_LIMITS.maxFileBytes) {
    return Promise.reject(new FormFileError('too_large', `文件大小超过上限 ${FORM_LIMITS.maxFileBytes / 1024 / 1024} MB`))
  }
  const request: ReadRequest = { name: file.name, bytes: new Uint8Array(file.bytes), form }
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_ENTRY, {
      workerData: { module: WORKER_MODULE, ...request },
      resourceLimits: { maxOldGenerationSizeMb: FORM_LIMITS.parserHeapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      stdout: false,
      stderr: false,
    })
    let settled = false
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      fn()
      void worker.terminate()
    }
    const timer = setTimeout(() => settle(() => reject(tooComplex(`读取超过 ${FORM_LIMITS.parseTimeoutMs / 1000} 秒仍未完成`))), FORM_LIMITS.parseTimeoutMs)
    worker.once('message', (answer: ReadAnswer) => settle(() => {
      if (answer.ok) resolve(answer.sheets.map(gridOf))
      else reject(new FormFileError(answer.code, answer.message))
    }))
    worker.once('error', (err: NodeJS.ErrnoException) => settle(() => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') reject(tooComplex(`读取所需内存超过上限 ${FORM_LIMITS.parserHeapMb} MB`))
      else reject(err)
    }))
    worker.once('exit', (code) => settle(() => reject(new Error(`form reader exited with code ${code} before answering`))))
  })
}
