/**
 * Generates the demo city into a fresh SQLite database file.
 *
 *   npm run demo -- [--scale 1] [--catalog-scale 1] [--seed 20220317] [--now 2026-11-21T00:00:00Z] [--district 渝北区] [--out data/atlas.sqlite]
 *
 * --district makes the demo of any district of Chongqing (a name such as 江北区, or its code 500105):
 * its boundary and grid, and its name on the departments and systems; start the server on the file
 * with the same ATLAS_DISTRICT.
 * --scale multiplies the map features (1 ≈ 20,000; 50 ≈ 1,000,000). --catalog-scale multiplies the
 * catalog's resources (49 ≈ 10,000 resources with ≈ 500,000 data items). An existing file at --out is replaced.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { openSqlite } from '../server/db/connect.js'
import { prepareDatabase } from '../server/prepare.js'
import { FOCUS_DISTRICT, RegionLocator, districtNamed } from '../server/geo/regions.js'
import { REPO_ROOT } from '../server/config.js'
import { DEFAULT_SEED, generateDemo } from '../server/demo/generate.js'

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    'catalog-scale': { type: 'string', default: '1' },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    now: { type: 'string' },
    out: { type: 'string', default: 'data/atlas.sqlite' },
    district: { type: 'string', default: FOCUS_DISTRICT.name },
  },
})
const district = districtNamed(values.district!)
if (!district) throw new Error(`--district: ${values.district} is not a district of Chongqing; give its name or code, e.g. 江北区 or 500105`)
const scale = Number(values.scale)
const catalogScale = Number(values['catalog-scale'])
const seed = Number(values.seed)
const now = values.now ? new Date(values.now) : new Date()
if (!(scale > 0 && scale <= 100)) throw new Error('--scale must be a number in (0, 100]')
if (!(Number.isInteger(catalogScale) && catalogScale >= 1 && catalogScale <= 200)) throw new Error('--catalog-scale must be a whole number in 1..200')
if (!Number.isInteger(seed)) throw new Error('--seed must be an integer')
if (Number.isNaN(now.getTime())) throw new Error('--now must be an ISO 8601 time')

const out = resolve(REPO_ROOT, values.out!)
mkdirSync(dirname(out), { recursive: true })
for (const suffix of ['', '-wal', '-shm']) if (existsSync(out + suffix)) rmSync(out + suffix)
const db = openSqlite(out)
const t0 = performance.now()
await prepareDatabase(db, district)
const s = await generateDemo(db, await RegionLocator.load(db), { scale, catalogScale, seed, now, district })
// The file is SQLite's: fold the write-ahead log into it, and give the planner fresh statistics.
await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db.kysely)
await sql`ANALYZE`.execute(db.kysely)
await db.close()
const total = Math.round(performance.now() - t0)
console.log(`demo city (示例数据) of ${district.name} → ${out}`)
console.log(`  ${s.departments} departments, ${s.systems} systems, ${s.resources} resources, ${s.items} items, ${s.updates} updates, ${s.features} features`)
console.log(`  generation ${(s.ms / 1000).toFixed(1)} s, total with schema and reference data ${(total / 1000).toFixed(1)} s, file ${(statSync(out).size / 1048576).toFixed(1)} MiB`)
