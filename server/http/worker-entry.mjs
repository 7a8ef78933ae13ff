// The first module of every worker thread the server starts. A worker does not inherit the TypeScript
// loader the server runs under, so a TypeScript module is loaded through tsx's own import. Then each
// task posted to the worker is answered by the module's answer(input), with the heap in use after it
// (the pool in worker-task.ts keeps a worker that holds little for the next task). A module may also
// export afterAnswer(): work left for after the answer (storing what was answered, say), run when the
// server says it may proceed, and reported done.
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { getHeapStatistics } from 'node:v8'
import { parentPort, workerData } from 'node:worker_threads'

// A worker yields the processor to the server's thread: on Linux a thread's own id names it to
// setpriority, and raising its niceness needs no privilege. Elsewhere it runs at the process's priority.
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
  if (tid > 0) setPriority(tid, 10)
} catch {
  // Not Linux, or /proc not mounted: nothing to do.
}

let module
try {
  if (workerData.module.endsWith('.ts')) {
    const { tsImport } = await import('tsx/esm/api')
    module = await tsImport(workerData.module, import.meta.url)
  } else {
    module = await import(workerData.module)
  }
} catch (err) {
  parentPort.postMessage({ failed: String(err) })
}

parentPort.on('message', async ({ input, proceed }) => {
  if (proceed) {
    try {
      await module.afterAnswer()
      parentPort.postMessage({ afterDone: true })
    } catch (err) {
      parentPort.postMessage({ afterDone: true, afterFailed: String(err) })
    }
    return
  }
  if (!module) return parentPort.postMessage({ failed: 'module not loaded' })
  try {
    const answer = await module.answer(input)
    parentPort.postMessage({ answer, heapMb: getHeapStatistics().used_heap_size / 1048576, after: typeof module.afterAnswer === 'function' })
  } catch (err) {
    parentPort.postMessage({ failed: String(err) })
  }
})
