import { ApiError, upload } from './client.js'
import type { AssessmentProblem } from './types.js'

/**
 * What the web app sends to the 风险评估导入表's preview and import (server/grading/import-routes.ts)
 * and reads from a refused import: the rows that are wrong, each with its row.
 */

/** The multipart body of a preview or an import: the file alone (the server reads the rows, all or nothing). */
export function assessmentUpload(file: File) {
  const data = new FormData()
  data.set('file', file, file.name)
  return upload(data)
}

/** The problems a refused import names (400 invalid_rows), or null for any other failure. */
export function refusedRows(e: unknown): { problemCount: number; problems: AssessmentProblem[] } | null {
  if (!(e instanceof ApiError) || e.code !== 'invalid_rows') return null
  const problems = Array.isArray(e.details.problems) ? (e.details.problems as AssessmentProblem[]) : []
  return { problemCount: Number(e.details.problemCount) || problems.length, problems }
}
