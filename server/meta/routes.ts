import { Hono } from 'hono'
import { sql } from 'kysely'
import { allow } from '../auth/allow.js'
import type { AppDeps } from '../db/deps.js'
import { pendingMigrations } from '../db/migrate.js'
import { listDomains } from '../selection/taxonomy.js'
import { ENUMS } from '../domain/enums.js'

export const PRODUCT_TITLE = '城市安全数据资源一张图'

/** The taxonomy, every enumeration with its labels, and the departments: what a client needs to draw filters. */
export function metaRoutes(deps: AppDeps) {
  const { db } = deps
  return new Hono()
    // Liveness: the process is up and its event loop answers.
    .get('/health', allow('open'), (c) => c.json({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }))
    // Readiness: the database answers and its schema is the one this code expects; not while shutting down.
    .get('/ready', allow('open'), async (c) => {
      if (deps.draining?.()) return c.json({ status: 'draining' as const, reason: '正在停止服务' }, 503)
      try {
        await sql`SELECT 1`.execute(db.kysely)
      } catch (err) {
        return c.json({ status: 'unavailable' as const, reason: `数据库无法访问：${err instanceof Error ? err.message : String(err)}` }, 503)
      }
      const pending = await pendingMigrations(db)
      if (pending.length) return c.json({ status: 'migrations_pending' as const, reason: `数据库结构不是最新：尚未执行 ${pending.join('、')}` }, 503)
      return c.json({ status: 'ready' as const })
    })
    .get('/meta', allow('open'), async (c) => {
    const [domains, departments, demo, district] = await Promise.all([
      listDomains(db),
      db.kysely.selectFrom('departments as d').leftJoin('harvest_sources as s', 's.id', 'd.source_id')
        .select(['d.id', 'd.name', 'd.short_name', 'd.district_code', 's.name as source_name']).orderBy('d.sort_order').orderBy('d.id').execute(),
      db.kysely.selectFrom('meta').select('value').where('key', '=', 'demo').executeTakeFirst(),
      db.kysely.selectFrom('regions').select(['code', 'name']).where('kind', '=', 'district').where('focus', '=', 1).executeTakeFirst(),
    ])
    return c.json({
      title: PRODUCT_TITLE,
      /** A district atlas, or a city atlas that also harvests district atlases (ATLAS_ROLE). */
      role: deps.role ?? 'district',
      /** The district this atlas serves (ATLAS_DISTRICT). */
      district: district ? { code: district.code, name: district.name } : null,
      demo: demo !== undefined,
      demoInfo: demo ? (JSON.parse(demo.value) as Record<string, unknown>) : null,
      domains,
      enums: ENUMS,
      // A harvested department names its source and district: the web app shows it read-only, with its provenance.
      departments: departments.map((d) => ({ id: d.id, name: d.name, shortName: d.short_name, source: d.source_name ?? null, districtCode: d.district_code })),
    })
  })
}
