import type { Db } from '../db/connect.js'

/**
 * The fine feature tally (resource × kind × risk level × district × grid cell → count, kept by triggers)
 * held in memory as columns, per version of the features: a grouping by grid cell for a filtered set
 * of resources is then a pass over typed arrays instead of an indexed lookup per resource and a sort.
 * A write to the features bumps their version (migration 0004) and the next request reloads it.
 */

export type TallyColumn = 'resource_id' | 'kind' | 'risk_level' | 'district_code' | 'cell_id'

interface Column { codes: Int32Array; values: (string | number)[] }

interface TallyIndex {
  version: number
  rows: number
  resource: Int32Array
  columns: Record<Exclude<TallyColumn, 'resource_id'>, Column>
  n: Int32Array
}

const indexes = new WeakMap<Db, TallyIndex>()

function encode(values: (string | number)[]): Column {
  const dictionary = new Map<string | number, number>()
  const codes = new Int32Array(values.length)
  values.forEach((v, i) => {
    let code = dictionary.get(v)
    if (code === undefined) dictionary.set(v, (code = dictionary.size))
    codes[i] = code
  })
  return { codes, values: [...dictionary.keys()] }
}

async function tallyIndex(db: Db): Promise<TallyIndex> {
  const version = await db.versions.get('features')
  const cached = indexes.get(db)
  if (cached && cached.version === version) return cached
  const rows = await db.kysely.selectFrom('feature_tally').select(['resource_id', 'kind', 'risk_level', 'district_code', 'cell_id', 'n']).execute()
  const index: TallyIndex = {
    version,
    rows: rows.length,
    resource: Int32Array.from(rows, (r) => r.resource_id),
    columns: {
      kind: encode(rows.map((r) => r.kind)),
      risk_level: encode(rows.map((r) => r.risk_level)),
      district_code: encode(rows.map((r) => r.district_code)),
      cell_id: encode(rows.map((r) => r.cell_id)),
    },
    n: Int32Array.from(rows, (r) => r.n),
  }
  indexes.set(db, index)
  return index
}

/**
 * Feature counts grouped by some columns, for some resources (null: all) and optionally only some kinds
 * and risk levels: the same answer as a GROUP BY over feature_tally.
 */
export async function tallyCounts<K extends Exclude<TallyColumn, 'resource_id'>>(db: Db, resourceIds: number[] | null, kinds: string[] | undefined, risks: string[] | undefined, by: K[]):
  Promise<(Record<K, string | number> & { n: number })[]> {
  const t = await tallyIndex(db)
  let wanted: Set<number> | null = null
  if (resourceIds) wanted = new Set(resourceIds)
  const allow = (column: Column, values: string[] | undefined): Uint8Array | null => {
    if (!values?.length) return null
    const set = new Set<string | number>(values)
    return Uint8Array.from(column.values, (v) => (set.has(v) ? 1 : 0))
  }
  const kindOk = allow(t.columns.kind, kinds)
  const riskOk = allow(t.columns.risk_level, risks)
  // A group's key: the columns' dictionary codes in mixed radix.
  const radix = by.map((c) => t.columns[c].values.length)
  const sums = new Map<number, number>()
  for (let i = 0; i < t.rows; i++) {
    if (wanted && !wanted.has(t.resource[i]!)) continue
    if (kindOk && !kindOk[t.columns.kind.codes[i]!]) continue
    if (riskOk && !riskOk[t.columns.risk_level.codes[i]!]) continue
    let key = 0
    for (let c = 0; c < by.length; c++) key = key * radix[c]! + t.columns[by[c]!].codes[i]!
    sums.set(key, (sums.get(key) ?? 0) + t.n[i]!)
  }
  const out: (Record<K, string | number> & { n: number })[] = []
  for (const [key, n] of sums) {
    const row = { n } as Record<K, string | number> & { n: number }
    let rest = key
    for (let c = by.length - 1; c >= 0; c--) {
      const code = rest % radix[c]!
      rest = Math.floor(rest / radix[c]!)
      ;(row as Record<string, string | number>)[by[c]!] = t.columns[by[c]!].values[code]!
    }
    out.push(row)
  }
  return out
}
