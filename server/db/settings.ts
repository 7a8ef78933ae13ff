import type { Kysely } from 'kysely'
import type { Database } from './schema.js'

/**
 * Small configuration kept as JSON in the `settings` table (the alarm clocks, the region rule, the
 * re-assessment rule, the basemap): read with the defaults filling what a stored value lacks (a value
 * written by an older version, or unreadable, gives the defaults), written whole.
 */
export async function readJsonSetting<T extends object>(db: Kysely<Database>, key: string, defaults: T): Promise<T> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
  if (!row) return defaults
  try {
    return { ...defaults, ...(JSON.parse(row.value) as Partial<T>) }
  } catch {
    return defaults
  }
}

export async function writeJsonSetting(db: Kysely<Database>, key: string, value: object): Promise<void> {
  const text = JSON.stringify(value)
  await db.insertInto('settings').values({ key, value: text }).onConflict((oc) => oc.column('key').doUpdateSet({ value: text })).execute()
}
