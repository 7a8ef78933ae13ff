/**
 * Copies a district's whole database between SQLite and PostgreSQL, then compares every table's row
 * count and content checksum on both sides:
 *
 *   npm run db:copy -- --from data/atlas.sqlite --to postgres://atlas@localhost:5432/atlas
 *   npm run db:copy -- --from postgres://atlas@localhost:5432/atlas --to /tmp/atlas-copy.sqlite
 *
 * The target is migrated and must be empty; the copy is one transaction. Stop the server on the source
 * first (a write during the copy would show as a difference). Exit status 0 only when every table matches.
 */
import { parseArgs } from 'node:util'
import { existsSync } from 'node:fs'
import { isPostgresUrl, openDatabase } from '../server/db/connect.js'
import { copyDatabase } from '../server/db/copy.js'

const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } })
if (!values.from || !values.to) {
  console.error('usage: npm run db:copy -- --from <sqlite file | postgres://…> --to <sqlite file | postgres://…>')
  process.exit(2)
}
if (!isPostgresUrl(values.from) && !existsSync(values.from)) {
  console.error(`--from: no such database file: ${values.from}`)
  process.exit(2)
}
const label = (u: string) => (isPostgresUrl(u) ? u.replace(/:[^:@/]*@/, ':***@') : u)
const source = openDatabase(values.from)
const target = openDatabase(values.to)
try {
  console.log(`copying ${label(values.from)} → ${label(values.to)}`)
  const report = await copyDatabase(source, target, (line) => console.log(`  ${line}`))
  const w = Math.max(...report.tables.map((t) => t.table.length))
  console.log(`\n${'table'.padEnd(w)}  ${'source rows'.padStart(11)}  ${'target rows'.padStart(11)}  checksums`)
  for (const t of report.tables) {
    console.log(`${t.table.padEnd(w)}  ${String(t.source).padStart(11)}  ${String(t.target).padStart(11)}  ${t.same ? 'equal' : `DIFFER (${t.sourceSum} ≠ ${t.targetSum})`}${t.derived ? '  (kept by triggers)' : ''}`)
  }
  const rows = report.tables.filter((t) => !t.derived).reduce((n, t) => n + t.target, 0)
  console.log(report.same
    ? `\nthe copy is complete: ${report.tables.length} tables, ${rows} rows copied, every count and checksum equal (${(report.ms / 1000).toFixed(1)} s)`
    : `\nTHE COPY DIFFERS from its source in ${report.tables.filter((t) => !t.same).map((t) => t.table).join(', ')}`)
  process.exitCode = report.same ? 0 : 1
} catch (e) {
  console.error(`db:copy failed: ${e instanceof Error ? e.message : e}`)
  process.exitCode = 1
} finally {
  await source.close()
  await target.close()
}
