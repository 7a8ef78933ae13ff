import { sql } from 'kysely'
import type { Db } from '../db/connect.js'
import { containsText, joinedText } from '../db/dialect.js'

/**
 * Which catalog_search rows (systems, resources, data items; rowid = id * 4 + tag) have a title
 * containing a text, with LIKE's meaning (case folded for ASCII only). Three characters or more use the
 * trigram index (SQLite's FTS5 trigram tokenizer, PostgreSQL's pg_trgm GIN index); shorter texts, which
 * are common in Chinese (燃气, 监测) and which no trigram can serve, scan the distinct titles in memory —
 * some ten thousand, where the rows number half a million.
 */

interface TitleIndex {
  version: number
  /** Distinct titles, ASCII-lowercased. */
  titles: string[]
  /** The rowids of each title. */
  rowids: number[][]
}

const indexes = new WeakMap<Db, TitleIndex>()

function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (c) => c.toLowerCase())
}

async function titleIndex(db: Db): Promise<TitleIndex> {
  const version = await db.versions.get('search')
  const cached = indexes.get(db)
  if (cached && cached.version === version) return cached
  const byTitle = new Map<string, number[]>()
  // Grouped in the database: ten thousand rows cross into JS instead of half a million (half the time and memory).
  const grouped = await db.kysely.selectFrom('catalog_search')
    .select(['title', joinedText(db.engine, sql.ref('rowid'), ',').as('rowids')])
    .groupBy('title')
    .execute()
  for (const { title, rowids } of grouped) {
    const key = asciiLower(title)
    const ids = (rowids ?? '').split(',').map(Number)
    const list = byTitle.get(key)
    if (!list) byTitle.set(key, ids)
    else for (const id of ids) list.push(id)
  }
  const index = { version, titles: [...byTitle.keys()], rowids: [...byTitle.values()] }
  indexes.set(db, index)
  return index
}

/** The rowids of catalog_search whose title contains `q`, in no particular order. */
export async function searchRowids(db: Db, q: string): Promise<number[]> {
  if ([...q].length >= 3) {
    // On SQLite, LIKE with an ESCAPE clause cannot use the trigram index: leave it out when nothing needs
    // escaping. PostgreSQL's trigram index serves ILIKE … ESCAPE as it is.
    const plain = db.engine === 'sqlite' && !/[\\%_]/.test(q)
    const rows = await db.kysely.selectFrom('catalog_search').select('rowid')
      .where(plain ? sql<boolean>`title LIKE ${`%${q}%`}` : containsText(db.engine, 'title', q))
      .execute()
    return rows.map((r) => Number(r.rowid))
  }
  const { titles, rowids } = await titleIndex(db)
  const needle = asciiLower(q)
  const out: number[] = []
  for (let i = 0; i < titles.length; i++) if (titles[i]!.includes(needle)) for (const r of rowids[i]!) out.push(r)
  return out
}
