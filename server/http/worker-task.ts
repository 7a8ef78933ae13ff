/**
 * One piece of work on a file a user sent, run in a worker thread with a heap limit and a deadline:
 * whatever the file makes the work allocate stays inside the worker, the server's event loop goes on
 * answering, and a file that needs more than the limits is refused instead of taking the process
 * down. The worker module exports `answer(input)`, which returns the answer; its refusals are plain
 * `{ ok: false, code, message, status? }` objects. worker-entry.mjs loads it and answers each task.
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

/** A task a worker thread is running now. */
export interface RunningTask { module: string; since: number }
const runningTasks = new Set<RunningTask>()

/** The tasks worker threads are running now (the module's folder and file name, and when it started), oldest first. */
export function runningWorkerTasks(): RunningTask[] {
  return [...runningTasks]
}

async function tracked<T>(moduleUrl: URL, work: () => Promise<T>): Promise<T> {
  // Its folder and file name, e.g. geodata/import-worker.
  const task = { module: moduleUrl.pathname.split('/').slice(-2).join('/').replace(/\.[jt]s$/, ''), since: Date.now() }
  runningTasks.add(task)
  try {
    return await work()
  } finally {
    runningTasks.delete(task)
  }
}

/**
 * Runs `moduleUrl`'s `answer(input)` (a TypeScript or JavaScript module URL) in a worker thread with the
 * limits. `ownTurn`: the caller runs its tasks one at a time itself and must not wait behind users'
 * files (sensor readings arrive every second, an import may take minutes).
 */
export async function runWorkerTask<T>(moduleUrl: URL, input: Record<string, unknown>, limits: WorkerLimits, o: { ownTurn?: boolean } = {}): Promise<WorkerAnswer<T>> {
  if (o.ownTurn) return tracked(moduleUrl, () => runOnWorker<T>(moduleUrl, input, limits))
  const done = await turn()
  try {
    return await tracked(moduleUrl, () => runOnWorker<T>(moduleUrl, input, limits))
  } finally {
    done()
  }
}

/**
 * A worker whose module is loaded: starting one (a thread, the TypeScript loader, the parsers) costs
 * about 300 ms, reading a typical file a few. A worker that answered and holds little heap afterwards
 * waits, unreferenced, for the next task of its module; one that ran out of time or memory, failed,
 * or kept more than RETIRE_HEAP_MB is ended, and an idle one ends after IDLE_MS.
 */
// Listeners of different events take different arguments.
type Listener = (...args: any[]) => void

interface WarmWorker {
  worker: Worker
  idleTimer?: NodeJS.Timeout
  /** Its place among the waiting workers (to leave it when it is taken). */
  leaveQueue?: () => void
  /** The listeners of its current task or wait (removed one by one: removeAllListeners would stop a worker's port). */
  listening: [event: string, listener: Listener][]
}

function listen(warm: WarmWorker, listeners: Record<string, Listener>): void {
  for (const [event, listener] of warm.listening) warm.worker.off(event, listener)
  warm.listening = Object.entries(listeners)
  for (const [event, listener] of warm.listening) warm.worker.on(event, listener)
}

/** Heap a worker may keep after a task and still take the next one. */
const RETIRE_HEAP_MB = 48
const IDLE_MS = 30_000
const idle = new Map<string, WarmWorker[]>()

function startWorker(moduleUrl: URL, limits: WorkerLimits): WarmWorker {
  const worker = new Worker(ENTRY, {
    workerData: { module: moduleUrl.href },
    resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    stdout: false,
    stderr: false,
  })
  return { worker, listening: [] }
}

function takeWorker(key: string, moduleUrl: URL, limits: WorkerLimits): WarmWorker {
  const warm = idle.get(key)?.pop()
  if (warm) {
    clearTimeout(warm.idleTimer)
    if (warm.leaveQueue) {
      const at = waitingOrder.indexOf(warm.leaveQueue)
      if (at >= 0) waitingOrder.splice(at, 1)
    }
    warm.worker.ref()
    return warm
  }
  return startWorker(moduleUrl, limits)
}

/** Waiting workers, oldest first: at most as many as may run at once, so that few sit in memory. */
const waitingOrder: (() => void)[] = []

function keepWorker(key: string, warm: WarmWorker): void {
  const list = idle.get(key) ?? []
  idle.set(key, list)
  list.push(warm)
  const retire = () => {
    clearTimeout(warm.idleTimer)
    const at = list.indexOf(warm)
    if (at >= 0) list.splice(at, 1)
    const queued = waitingOrder.indexOf(retire)
    if (queued >= 0) waitingOrder.splice(queued, 1)
    void warm.worker.terminate()
  }
  warm.leaveQueue = retire
  waitingOrder.push(retire)
  while (waitingOrder.length > MAX_RUNNING) waitingOrder[0]!()
  // A worker that fails or exits while it waits is dropped, never handed a task.
  listen(warm, { error: retire, exit: retire })
  warm.worker.unref()
  warm.idleTimer = setTimeout(retire, IDLE_MS)
  warm.idleTimer.unref()
}

interface WorkerReply<T> {
  answer?: WorkerAnswer<T>
  /** The module has work for after the answer (dedicated workers only): it runs when told to proceed. */
  after?: boolean
  afterDone?: boolean
  /** The worker's heap in use after the task, to decide whether it may take another. */
  heapMb?: number
  /** The module could not be loaded or threw: the worker is of no further use. */
  failed?: string
}

function runOnWorker<T>(moduleUrl: URL, input: Record<string, unknown>, limits: WorkerLimits): Promise<WorkerAnswer<T>> {
  const key = `${moduleUrl.href} ${limits.heapMb}`
  const warm = takeWorker(key, moduleUrl, limits)
  const { worker } = warm
  return new Promise((resolve, reject) => {
    let settled = false
    const settle = (fn: () => void, reuse: boolean) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (reuse) keepWorker(key, warm)
      else {
        listen(warm, { error: () => {} })
        void worker.terminate()
      }
      fn()
    }
    const timer = setTimeout(() => settle(() => reject(new WorkerLimitError('time', limits)), false), limits.timeoutMs)
    listen(warm, {
      message: (reply: WorkerReply<T>) => {
        if (reply.answer) settle(() => resolve(reply.answer!), (reply.heapMb ?? Infinity) <= RETIRE_HEAP_MB)
        else settle(() => reject(new Error(`worker ${moduleUrl.pathname} failed: ${reply.failed ?? 'no answer'}`)), false)
      },
      error: (err: NodeJS.ErrnoException) => settle(() => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new WorkerLimitError('memory', limits) : err), false),
      exit: (code: number) => settle(() => reject(new Error(`worker ${moduleUrl.pathname} exited with code ${code} before answering`)), false),
    })
    worker.postMessage({ input })
  })
}

/** The URL of a worker module next to `importMetaUrl`, TypeScript when the caller runs from source. */
export function siblingModule(importMetaUrl: string, name: string): URL {
  return new URL(`./${name}${importMetaUrl.endsWith('.ts') ? '.ts' : '.js'}`, importMetaUrl)
}

/**
 * Runs `moduleUrl`'s `answer(input)` in a worker thread of its own, outside the pool and its turn-taking:
 * for long background work (a harvest job runs for minutes) that must neither wait behind nor hold up
 * the short tasks of users' files. The worker ends with the task.
 */
export function runDedicatedWorker<T>(moduleUrl: URL, input: Record<string, unknown>, limits: WorkerLimits, o: DedicatedOptions = {}): Promise<WorkerAnswer<T>> {
  return tracked(moduleUrl, () => runOnDedicatedWorker<T>(moduleUrl, input, limits, o))
}

export interface DedicatedOptions {
  /**
   * Called when the answer has arrived, before the module's afterAnswer() starts, with a promise of its
   * end (a caller may hold the write gate meanwhile, say). The worker ends after it, or at the deadline.
   */
  afterAnswer?: (finished: Promise<void>) => void
}

function runOnDedicatedWorker<T>(moduleUrl: URL, input: Record<string, unknown>, limits: WorkerLimits, o: DedicatedOptions): Promise<WorkerAnswer<T>> {
  const worker = new Worker(ENTRY, {
    workerData: { module: moduleUrl.href },
    resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
  })
  let afterEnded: () => void = () => {}
  const afterDone = new Promise<void>((resolve) => { afterEnded = resolve })
  return new Promise((resolve, reject) => {
    let settled = false
    let after = false
    const end = () => {
      clearTimeout(timer)
      void worker.terminate()
      afterEnded()
    }
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      if (!after) end()
      fn()
    }
    const timer = setTimeout(() => (settled ? end() : settle(() => reject(new WorkerLimitError('time', limits)))), limits.timeoutMs)
    worker.on('message', (reply: WorkerReply<T>) => {
      if (reply.afterDone) return end()
      if (reply.answer && reply.after) {
        after = true
        o.afterAnswer?.(afterDone)
        worker.postMessage({ proceed: true })
      }
      if (reply.answer) settle(() => resolve(reply.answer!))
      else settle(() => reject(new Error(`worker ${moduleUrl.pathname} failed: ${reply.failed ?? 'no answer'}`)))
    })
    worker.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return end()
      settle(() => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new WorkerLimitError('memory', limits) : err))
    })
    worker.on('exit', (code: number) => {
      if (settled) return end()
      settle(() => reject(new Error(`worker ${moduleUrl.pathname} exited with code ${code} before answering`)))
    })
    worker.postMessage({ input })
  })
}
