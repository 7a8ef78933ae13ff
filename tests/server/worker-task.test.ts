import assert from 'node:assert/strict'
import { availableParallelism } from 'node:os'
import { test } from 'vitest'
import { runWorkerTask, WorkerLimitError } from '../../server/http/worker-task.js'

const PROBE = new URL('../fixtures/probe-worker.ts', import.meta.url)
const LIMITS = { heapMb: 256, timeoutMs: 3_000 }
const run = async (what: 'answer' | 'keep-heap' | 'spin' | 'throw') => {
  const answer = await runWorkerTask<{ threadId: number }>(PROBE, { do: what }, LIMITS)
  assert.ok(answer.ok)
  return answer.value.threadId
}

test('a worker that answered takes the next task at once; one that keeps much heap, overran its time or failed is replaced', async () => {
  const first = await run('answer')
  const started = performance.now()
  assert.equal(await run('answer'), first, 'the same warm worker')
  assert.ok(performance.now() - started < 200, 'no new thread to start')

  assert.equal(await run('keep-heap'), first)
  const afterHeap = await run('answer')
  assert.notEqual(afterHeap, first, 'a worker holding 80 MB after its task is not reused')

  await assert.rejects(run('spin'), (err) => err instanceof WorkerLimitError && err.kind === 'time')
  const afterSpin = await run('answer')
  assert.notEqual(afterSpin, afterHeap, 'a worker stopped at its deadline is not reused')

  await assert.rejects(run('throw'), /a bug in the module/)
  assert.notEqual(await run('answer'), afterSpin, 'a worker whose module threw is not reused')
})

test('no more workers wait than may run at once: a worker of another kind makes room', async () => {
  const other = { heapMb: 200, timeoutMs: 3_000 }
  const first = await run('answer')
  const answerOther = await runWorkerTask<{ threadId: number }>(PROBE, { do: 'answer' }, other)
  assert.ok(answerOther.ok)
  const again = await run('answer')
  if (Math.max(1, availableParallelism() - 1) === 1) assert.notEqual(again, first, 'one waiting worker at most: the first kind was ended')
  else assert.equal(again, first)
})
