import type { Db } from '../db/connect.js'
import { DOMAINS, categoryLabel } from '../domain/taxonomy.js'
import type { Domain } from '../domain/types.js'

/** Inserts the built-in annex-1 taxonomy; existing rows (and administrator additions) are kept. */
export function seedTaxonomy(db: Db): void {
  const { sqlite } = db
  const dom = sqlite.prepare(`INSERT OR IGNORE INTO domains (code, name, short_name, data_scope, sort_order) VALUES (?, ?, ?, ?, ?)`)
  const sub = sqlite.prepare(`INSERT OR IGNORE INTO subcategories (code, domain_code, name, sort_order, builtin) VALUES (?, ?, ?, ?, 1)`)
  const item = sqlite.prepare(`INSERT OR IGNORE INTO subcategory_items (subcategory_code, name, sort_order) VALUES (?, ?, ?)`)
  sqlite.transaction(() => {
    DOMAINS.forEach((d, di) => {
      dom.run(d.code, d.name, d.shortName, d.dataScope, di)
      d.subcategories.forEach((s, si) => {
        sub.run(s.code, d.code, s.name, di * 100 + si)
        ;('items' in s ? s.items : []).forEach((name, ii) => item.run(s.code, name, ii))
      })
    })
  })()
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
