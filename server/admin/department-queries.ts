import type { Db } from '../db/connect.js'
import { inTransaction } from '../db/dialect.js'

/** SQL of department administration. */

export async function departmentNameTaken(db: Db, name: string, exceptId = 0): Promise<boolean> {
  return !!(await db.kysely.selectFrom('departments').select('id').where('name', '=', name).where('id', '<>', exceptId).executeTakeFirst())
}

export async function insertDepartment(db: Db, name: string, shortName: string, now: Date): Promise<number> {
  return inTransaction(db, async (trx) => {
    const { next } = await trx.selectFrom('departments').select((eb) => eb.fn.coalesce(eb.fn.max('sort_order'), eb.lit(-1)).as('next')).executeTakeFirstOrThrow()
    const { id } = await trx.insertInto('departments').values({ name, short_name: shortName, sort_order: Number(next) + 1, created_at: now.toISOString() })
      .returning('id').executeTakeFirstOrThrow()
    return id
  })
}

export async function renameDepartment(db: Db, id: number, name: string, shortName: string): Promise<void> {
  await db.kysely.updateTable('departments').set({ name, short_name: shortName }).where('id', '=', id).execute()
}

/** What still hangs on a department (null when it does not exist). */
export async function departmentUsage(db: Db, id: number): Promise<{ systems: number; users: number } | null> {
  const k = db.kysely
  if (!(await k.selectFrom('departments').select('id').where('id', '=', id).executeTakeFirst())) return null
  const [systems, users] = await Promise.all([
    k.selectFrom('systems').select((eb) => eb.fn.countAll().as('n')).where('department_id', '=', id).executeTakeFirstOrThrow(),
    k.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).where('department_id', '=', id).executeTakeFirstOrThrow(),
  ])
  return { systems: Number(systems.n), users: Number(users.n) }
}

/** Deletes an empty department with its survey-round rows and clearances. */
export async function deleteDepartment(db: Db, id: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('survey_round_departments').where('department_id', '=', id).execute()
    await trx.deleteFrom('user_clearances').where('department_id', '=', id).execute()
    await trx.deleteFrom('departments').where('id', '=', id).execute()
  })
}
