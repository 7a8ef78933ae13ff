/**
 * The folder → folder import graph of the server and of the web app, and its cycles.
 *   node --import tsx scripts/folder-graph.ts         prints both graphs and any cycle
 * A folder is a direct child of server/ or web/ ("." for the files at the top, the composition root).
 * tests/server/folders.test.ts fails when either graph has a cycle.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export type FolderGraph = Map<string, Map<string, string[]>>

const SOURCE = /\.(ts|mts|mjs|vue)$/
// Static imports and re-exports (also `import type`), side-effect imports and dynamic import().
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(join(dir, e.name))
    return SOURCE.test(e.name) ? [join(dir, e.name)] : []
  })
}

/** Folder → (imported folder → the importing files and specifiers) for every import between folders of `root`. */
export function folderGraph(root: string): FolderGraph {
  const base = resolve(root)
  const folderOf = (file: string) => {
    const parts = relative(base, file).split(sep)
    return parts.length > 1 ? parts[0]! : '.'
  }
  const graph: FolderGraph = new Map()
  for (const file of sourceFiles(base)) {
    const from = folderOf(file)
    if (!graph.has(from)) graph.set(from, new Map())
    for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const target = resolve(dirname(file), m[1]!)
      if (relative(base, target).startsWith('..')) continue // outside this tree (web → server/domain types)
      const to = folderOf(target)
      if (to === from) continue
      const edges = graph.get(from)!
      if (!edges.has(to)) edges.set(to, [])
      edges.get(to)!.push(`${relative(base, file)} → ${m[1]}`)
    }
  }
  return graph
}

/** Every elementary cycle's folders, found by a depth-first search from each folder (small graphs only). */
export function folderCycles(graph: FolderGraph): string[][] {
  const cycles = new Map<string, string[]>()
  const visit = (start: string, at: string, path: string[]) => {
    for (const next of graph.get(at)?.keys() ?? []) {
      if (next === start) {
        const key = [...path].sort().join(',')
        if (!cycles.has(key)) cycles.set(key, [...path, start])
      } else if (!path.includes(next) && next > start) {
        visit(start, next, [...path, next])
      }
    }
  }
  for (const start of [...graph.keys()].sort()) visit(start, start, [start])
  return [...cycles.values()]
}

/** The graph as lines "from → to (n imports)", sorted. */
export function describeGraph(graph: FolderGraph): string[] {
  return [...graph].flatMap(([from, edges]) => [...edges].map(([to, via]) => `${from} → ${to} (${via.length})`)).sort()
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  for (const tree of ['server', 'web']) {
    const graph = folderGraph(join(repo, tree))
    console.log(`# ${tree}/`)
    for (const line of describeGraph(graph)) console.log(line)
    const cycles = folderCycles(graph)
    console.log(cycles.length ? cycles.map((c) => `cycle: ${c.join(' → ')}`).join('\n') : 'no cycle')
  }
}
