/**
 * One piece of work on a file a user sent, run in a worker thread of its own with a heap limit and a
 * deadline: whatever the file makes the work allocate stays inside the worker, the server's event loop
 * goes on answering, and a file that needs more than the limits is refused instead of taking the
 * process down. The worker module (see worker-entry.mjs) reads its input from workerData and posts one
 * answer; its refusals are plain `{ ok: false, code, message, status? }` objects.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'

export interface WorkerLimits {
  /** Old-generation heap of the worker. */
  heapMb: number
  /** Refused when still running after this long. */
  timeoutMs: number
}

export type WorkerAnswer<T> = { ok: true; value: T } | { ok: false; code: string; message: string; status?: number }

/** Why a worker task ended without an answer of its own. */
export class WorkerLimitError extends Error {
  constructor(readonly kind: 'memory' | 'time', readonly limits: WorkerLimits) {
    super(kind === 'memory' ? `worker heap limit of ${limits.heapMb} MB reached` : `worker still running after ${limits.timeoutMs} ms`)
    this.name = 'WorkerLimitError'
  }
}

const ENTRY = new URL('./worker-entry.mjs', import.meta.url)

/**
 * Tasks running at once: one core is always left to the event loop, so however many files arrive
 * together the server keeps answering; the others wait their turn (the deadline starts with the run).
 */
const MAX_RUNNING = Math.max(1, availableParallelism() - 1)
let running = 0
const waiting: (() => void)[] = []

async function turn(): Promise<() => void> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve))
  running++
  return () => {
    running--
    waiting.shift()?.()
  }
}

/** Runs `moduleUrl` (a TypeScript or JavaScript module URL) in a fresh worker with `input` as its workerData. */
export async function runWorkerTask<T>(moduleUrl: URL, input: Record<string, unknown>, limits: WorkerLimits): Promise<WorkerAnswer<T>> {
  const done = await turn()
  try {
    return await runWorker<T>(moduleUrl, input, limits)
  } finally {
    done()
  }
}

function runWorker<T>(moduleUrl: URL, input: Record<string, unknown>, limits: WorkerLimits): Promise<WorkerAnswer<T>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(ENTRY, {
      workerData: { ...input, module: moduleUrl.href },
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
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
    const timer = setTimeout(() => settle(() => reject(new WorkerLimitError('time', limits))), limits.timeoutMs)
    worker.once('message', (answer: WorkerAnswer<T>) => settle(() => resolve(answer)))
    worker.once('error', (err: NodeJS.ErrnoException) => settle(() => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new WorkerLimitError('memory', limits) : err)))
    worker.once('exit', (code) => settle(() => reject(new Error(`worker ${moduleUrl.pathname} exited with code ${code} before answering`))))
  })
}

/** The URL of a worker module next to `importMetaUrl`, TypeScript when the caller runs from source. */
export function siblingModule(importMetaUrl: string, name: string): URL {
  return new URL(`./${name}${importMetaUrl.endsWith('.ts') ? '.ts' : '.js'}`, importMetaUrl)
}
