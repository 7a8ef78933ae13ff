import { test, expect } from 'vitest'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unawaitedPromises } from '../../scripts/unawaited-promises.js'

// The database is asynchronous (PostgreSQL), so nearly every query returns a promise: one that is not
// waited for writes after the answer, answers "{}" or takes a promise for true.
test('no promise in the server, scripts or tests is dropped, spread, tested or answered without being awaited', () => {
  expect(unawaitedPromises()).toEqual([])
}, 60_000)

test('the check finds each kind of forgotten promise, and leaves handled ones alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-promises-'))
  try {
    mkdirSync(join(dir, 'server'))
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true }, include: ['server'] }))
    writeFileSync(join(dir, 'server', 'x.ts'), [
      'async function count(): Promise<number> { return 1 }',
      'async function row(): Promise<{ a: number }> { return { a: 1 } }',
      'export async function f(json: (v: unknown) => void) {',
      '  count()',
      '  const o = { ...row() }',
      '  if (!count()) return o',
      '  const ok = count() && true',
      '  json(`${count()}`)',
      '  const c = { json }',
      '  c.json(row())',
      '  count().catch(() => {})',
      '  void count()',
      '  await count()',
      '  return ok',
      '}',
    ].join('\n'))
    const found = unawaitedPromises(dir).map((f) => f.replace(/: .*$/, '').replace(/^server\/x\.ts:(\d+)$/, '$1') + ' ' + f.split(': ')[1])
    expect(found).toEqual(['4 floating promise', '5 spread of a promise', '6 negated promise', '7 promise in a condition', '8 promise in a template', '10 json of a promise'])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
