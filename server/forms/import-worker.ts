/**
 * The worker module that writes one confirmed form (import.ts starts it): it plans the read sheets
 * against the catalog again and writes them, with a database connection of its own, so a large form
 * (and the features of the resources it removes) never holds up the server's event loop.
 */
import { openWorkerDatabase } from '../db/connect.js'
import type { FormKind, ImportMode } from '../domain/forms.js'
import type { WorkerAnswer } from '../http/worker-task.js'
import type { SheetData } from './grid.js'
import { confirmSheets, type ConfirmOutcome } from './import.js'

export async function answer(input: { databaseUrl: string; form: FormKind; sheets: SheetData[]; fileName: string; departmentId: number | null; mode: ImportMode; expectedHash: string; now: string }): Promise<WorkerAnswer<ConfirmOutcome>> {
  const db = openWorkerDatabase(input.databaseUrl)
  try {
    return { ok: true, value: await confirmSheets(db, { ...input, now: new Date(input.now) }) }
  } finally {
    await db.close()
  }
}
