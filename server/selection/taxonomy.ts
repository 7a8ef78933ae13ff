import type { Db } from '../db/connect.js'
import { inTransaction } from '../db/dialect.js'
import { DOMAINS, categoryLabel } from '../domain/taxonomy.js'
import type { Domain } from '../domain/types.js'

/** Inserts the built-in annex-1 taxonomy; existing rows (and administrator additions) are kept. */
export async function seedTaxonomy(db: Db): Promise<void> {
  await inTransaction(db, async (trx) => {
    for (const [di, d] of DOMAINS.entries()) {
      await trx.insertInto('domains').values({ code: d.code, name: d.name, short_name: d.shortName, data_scope: d.dataScope, sort_order: di })
        .onConflict((oc) => oc.doNothing()).execute()
      for (const [si, s] of d.subcategories.entries()) {
        await trx.insertInto('subcategories').values({ code: s.code, domain_code: d.code, name: s.name, sort_order: di * 100 + si, builtin: 1 })
          .onConflict((oc) => oc.doNothing()).execute()
        const items = 'items' in s ? s.items : []
        if (items.length) {
          await trx.insertInto('subcategory_items').values(items.map((name, ii) => ({ subcategory_code: s.code, name, sort_order: ii })))
            .onConflict((oc) => oc.doNothing()).execute()
        }
      }
    }
  })
}

/** The live taxonomy: domains → sub-categories → items, in the order of annex 1. */
export async function listDomains(db: Db): Promise<Domain[]> {
  const [domains, subs, items] = await Promise.all([
    db.kysely.selectFrom('domains').selectAll().orderBy('sort_order').execute(),
    db.kysely.selectFrom('subcategories').selectAll().orderBy('sort_order').execute(),
    db.kysely.selectFrom('subcategory_items').selectAll().orderBy('sort_order').execute(),
  ])
  return domains.map((d) => ({
    code: d.code,
    name: d.name,
    shortName: d.short_name,
    dataScope: d.data_scope,
    subcategories: subs
      .filter((s) => s.domain_code === d.code)
      .map((s) => ({
        code: s.code,
        domainCode: s.domain_code,
        name: s.name,
        category: categoryLabel(s.name),
        items: items.filter((i) => i.subcategory_code === s.code).map((i) => i.name),
        builtin: s.builtin === 1,
      })),
  }))
}
