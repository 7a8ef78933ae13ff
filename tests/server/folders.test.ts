import { test } from 'vitest'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeGraph, folderCycles, folderGraph } from '../../scripts/folder-graph.js'
import { REPO_ROOT } from '../../server/config.js'

for (const tree of ['server', 'web']) {
  test(`${tree}/ folders import one way: no folder-level import cycle`, () => {
    const graph = folderGraph(join(REPO_ROOT, tree))
    const cycles = folderCycles(graph)
    const detail = cycles.map((c) => c.join(' → ') + '\n  ' + c.slice(0, -1).flatMap((from, i) => graph.get(from)!.get(c[i + 1]!)!.slice(0, 3)).join('\n  '))
    assert.deepEqual(detail, [], `folder cycles in ${tree}/:\n${detail.join('\n')}`)
  })
}

test('the shared layer sits below every capability: selection imports no route module and no capability folder', () => {
  const edges = [...(folderGraph(join(REPO_ROOT, 'server')).get('selection')?.keys() ?? [])].sort()
  assert.deepEqual(edges.filter((to) => !['db', 'domain', 'geo', 'http'].includes(to)), [])
})

test('the cycle check finds a loop through three folders, and through type-only and dynamic imports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'folders-'))
  try {
    for (const f of ['a', 'b', 'c', 'd']) mkdirSync(join(dir, f))
    writeFileSync(join(dir, 'a', 'x.ts'), `import { y } from '../b/y.js'\nexport const x = y`)
    writeFileSync(join(dir, 'b', 'y.ts'), `import type { Z } from '../c/z.js'\nexport const y = 1 as unknown as Z`)
    writeFileSync(join(dir, 'c', 'z.ts'), `export type Z = number\nexport const load = () => import('../a/x.js')`)
    writeFileSync(join(dir, 'd', 'w.vue'), `<script setup lang="ts">\nimport { x } from '../a/x.js'\n</script>`)
    const graph = folderGraph(dir)
    assert.deepEqual(describeGraph(graph), ['a → b (1)', 'b → c (1)', 'c → a (1)', 'd → a (1)'])
    assert.deepEqual(folderCycles(graph), [['a', 'b', 'c', 'a']])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
