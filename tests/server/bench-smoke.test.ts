import { test } from 'vitest'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { REPO_ROOT } from '../../server/config.js'

test('npm run bench at a small scale prints the tile table, the endpoints, load, memory and start-up figures', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--scale', '0.1', '--viewports', '1', '--load-seconds', '1',
    '--min-zoom', '10', '--max-zoom', '14', '--no-postgis', '--import-features', '3000'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 180_000 })
  assert.equal(r.status, 0, r.stderr)
  const out = r.stdout
  for (const z of [10, 11, 12, 13, 14]) assert.match(out, new RegExp(`^z${z} \\| \\d+ \\| [0-9.]+ / [0-9.]+ / [0-9.]+ \\| [0-9.]+ / [0-9.]+ / [0-9.]+$`, 'm'), `row for z${z}`)
  for (const label of ['bbox GeoJSON', 'stats overview', 'stats overview, filtered', 'catalog search']) assert.ok(out.includes(label), label)
  assert.match(out, /PostGIS comparison skipped/)
  const json = JSON.parse(/^BENCH_JSON (.*)$/m.exec(out)![1]!) as Record<string, number>
  assert.ok(json.tiles! > 10, `tiles measured: ${json.tiles}`)
  assert.ok(json.tilesPerSecond! > 0, 'the load process got tiles back')
  assert.ok(json.maxTileBytes! > 0 && json.maxTileBytes! <= 500 * 1024, `largest tile ${json.maxTileBytes} bytes`)
  assert.ok(json.readyMs! > 0 && json.rss! > 0)
  // The writes part: a first start on a database never tiled, and an import while requests keep coming.
  assert.match(out, /^during the import and the index rebuild, \/api\/meta every 100 ms: p50 [0-9.]+ ms, p99 [0-9.]+ ms, max [0-9.]+ ms; 0 of \d+ failed$/m)
  const writes = (json as unknown as { writes: { features: number; firstTileMs: number; newTilesMs: number; meta: { n: number }; memory: { anon: number } } }).writes
  assert.equal(writes.features, 3000)
  assert.ok(writes.firstTileMs > 0 && writes.newTilesMs >= 0 && writes.meta.n > 0 && writes.memory.anon > 0)
})
