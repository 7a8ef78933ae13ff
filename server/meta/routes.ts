import { Hono } from 'hono'
import { allow } from '../auth/allow.js'
import type { AppDeps } from '../db/deps.js'
import { listDomains } from '../selection/taxonomy.js'
import { ENUMS } from '../domain/enums.js'

export const PRODUCT_TITLE = '城市安全数据资源一张图'

/** The taxonomy, every enumeration with its labels, and the departments: what a client needs to draw filters. */
export function metaRoutes(deps: AppDeps) {
  const { db } = deps
  return new Hono().get('/meta', allow('open'), async (c) => {
    const [domains, departments, demo] = await Promise.all([
      listDomains(db),
      db.kysely.selectFrom('departments').select(['id', 'name', 'short_name']).orderBy('sort_order').orderBy('id').execute(),
      db.kysely.selectFrom('meta').select('value').where('key', '=', 'demo').executeTakeFirst(),
    ])
    return c.json({
      title: PRODUCT_TITLE,
      demo: demo !== undefined,
      demoInfo: demo ? (JSON.parse(demo.value) as Record<string, unknown>) : null,
      domains,
      enums: ENUMS,
      departments: departments.map((d) => ({ id: d.id, name: d.name, shortName: d.short_name })),
    })
  })
}
