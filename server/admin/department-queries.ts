import type { Db } from '../db/connect.js'

/** SQL of department administration. */

export function departmentNameTaken(db: Db, name: string, exceptId = 0): boolean {
  return db.sqlite.prepare(`SELECT 1 FROM departments WHERE name = ? AND id <> ?`).get(name, exceptId) !== undefined
}

export function insertDepartment(db: Db, name: string, shortName: string, now: Date): number {
  const order = db.sqlite.prepare(`SELECT coalesce(max(sort_order), -1) + 1 FROM departments`).pluck().get() as number
  return Number(db.sqlite.prepare(`INSERT INTO departments (name, short_name, sort_order, created_at) VALUES (?, ?, ?, ?)`).run(name, shortName, order, now.toISOString()).lastInsertRowid)
}

export function renameDepartment(db: Db, id: number, name: string, shortName: string): void {
  db.sqlite.prepare(`UPDATE departments SET name = ?, short_name = ? WHERE id = ?`).run(name, shortName, id)
}

/** What still hangs on a department (null when it does not exist). */
export function departmentUsage(db: Db, id: number): { systems: number; users: number } | null {
  if (!db.sqlite.prepare(`SELECT 1 FROM departments WHERE id = ?`).get(id)) return null
  return {
    systems: db.sqlite.prepare(`SELECT count(*) FROM systems WHERE department_id = ?`).pluck().get(id) as number,
    users: db.sqlite.prepare(`SELECT count(*) FROM users WHERE department_id = ?`).pluck().get(id) as number,
  }
}

/** Deletes an empty department with its survey-round rows and clearances. */
export function deleteDepartment(db: Db, id: number): void {
  db.sqlite.transaction(() => {
    db.sqlite.prepare(`DELETE FROM survey_round_departments WHERE department_id = ?`).run(id)
    db.sqlite.prepare(`DELETE FROM user_clearances WHERE department_id = ?`).run(id)
    db.sqlite.prepare(`DELETE FROM departments WHERE id = ?`).run(id)
  })()
}
