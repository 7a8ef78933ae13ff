import type { Compilable, CompiledQuery } from 'kysely'
import type { Db } from './connect.js'

/** Stands in for the one value a compiled query is later run with. */
const SENTINEL = '\u0000value\u0000'

/**
 * A query every request runs, built and compiled by Kysely once per database and then run with one
 * value: building a query (its operation tree, frozen objects, the compiler's walk) costs more than
 * running it on SQLite, whose statements are prepared once per SQL text anyway (connect.ts).
 */
export function compiledOnce<O>(build: (db: Db, value: string) => Compilable<O>): (db: Db, value: string) => Promise<O[]> {
  const compiled = new WeakMap<Db, CompiledQuery<O>>()
  return async (db, value) => {
    let q = compiled.get(db)
    if (!q) compiled.set(db, (q = build(db, SENTINEL).compile()))
    const parameters = q.parameters.map((p) => (p === SENTINEL ? value : p))
    return (await db.kysely.executeQuery<O>({ ...q, parameters })).rows
  }
}
