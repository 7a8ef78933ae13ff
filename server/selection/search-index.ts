import type { Db } from '../db/connect.js'

/**
 * Which catalog_search rows (systems, resources, data items; rowid = id * 4 + tag) have a title
 * containing a text, with LIKE's meaning (case folded for ASCII only). Three characters or more use the
 * FTS5 trigram index; shorter texts, which are common in Chinese (燃气, 监测) and which no trigram can
 * serve, scan the distinct titles in memory — some ten thousand, where the rows number half a million.
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

function titleIndex(db: Db): TitleIndex {
  const version = db.sqlite.prepare(`SELECT version FROM search_version`).pluck().get() as number
  const cached = indexes.get(db)
  if (cached && cached.version === version) return cached
  const byTitle = new Map<string, number[]>()
  // Grouped in SQLite: ten thousand rows cross into JS instead of half a million (half the time and memory).
  const grouped = db.sqlite.prepare(`SELECT title, group_concat(rowid) FROM catalog_search GROUP BY title`).raw(true).iterate() as IterableIterator<[string, string]>
  for (const [title, rowids] of grouped) {
    const key = asciiLower(title)
    const ids = rowids.split(',').map(Number)
    const list = byTitle.get(key)
    if (!list) byTitle.set(key, ids)
    else for (const id of ids) list.push(id)
  }
  const index = { version, titles: [...byTitle.keys()], rowids: [...byTitle.values()] }
  indexes.set(db, index)
  return index
}

/** Escapes a user's text for a LIKE pattern (with ESCAPE '\'). */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** The rowids of catalog_search whose title contains `q`, in no particular order. */
export function searchRowids(db: Db, q: string): number[] {
  if ([...q].length >= 3) {
    // LIKE with an ESCAPE clause cannot use the trigram index: leave it out when nothing needs escaping.
    const plain = !/[\\%_]/.test(q)
    const sql = plain ? `SELECT rowid FROM catalog_search WHERE title LIKE ?` : `SELECT rowid FROM catalog_search WHERE title LIKE ? ESCAPE '\\'`
    return db.sqlite.prepare(sql).pluck().all(plain ? `%${q}%` : likePattern(q)) as number[]
  }
  const { titles, rowids } = titleIndex(db)
  const needle = asciiLower(q)
  const out: number[] = []
  for (let i = 0; i < titles.length; i++) if (titles[i]!.includes(needle)) for (const r of rowids[i]!) out.push(r)
  return out
}
