import type {
  BuildLevel, DataType, Deployment, Network, Purpose, RunStatus, SecurityLevel, Sensitivity, SharingAttribute, SharingMode,
  SubjectClass, UpdateCycle,
} from '../../server/domain/enums.js'
import type { FormKind, FormProblem, ImportMode, ImportPreview, ImportSummary, PreviewChange } from '../../server/domain/forms.js'
import type { InferResponseType } from 'hono/client'
import { api, ApiError, upload } from './client.js'

/**
 * What the web app sends to the survey-forms API and reads from its refusals: uploads with preview and
 * import, survey rounds, and the on-screen editors (server/forms, server/survey,
 * server/forms/edit-routes.ts). The answers' shapes are the shared ones of server/domain/forms.ts.
 */

export type { FormKind, ImportMode, ImportPreview, ImportSummary, PreviewChange }

/** One field problem of an on-screen edit: `parameter` is the body path, e.g. `name` or `items.3.name`. */
export interface FieldIssue {
  parameter: string
  message: string
}

/** What a refused forms call carries: the field issues of an edit, the problems of an upload, a fresh preview. */
export interface FormsErrorDetails {
  parameter?: string
  issues?: FieldIssue[]
  problems?: FormProblem[]
  preview?: ImportPreview
}

/** The details of a forms call's ApiError, or null for any other error. */
export function formsError(e: unknown): (ApiError & { details: FormsErrorDetails }) | null {
  return e instanceof ApiError ? (e as ApiError & { details: FormsErrorDetails }) : null
}

export interface SystemInput {
  name: string
  buildLevel: BuildLevel | ''
  builder: string
  operator: string
  deployment: Deployment | ''
  runStatus: RunStatus | ''
  securityLevel: SecurityLevel | ''
  sharesData: boolean
  sharingModes: SharingMode[]
  networks: Network[]
  reviewer: string
  filler: string
  phone: string
  /** YYYY-MM-DD or null. */
  filledAt: string | null
}

export interface ItemInput {
  name: string
  dataType: DataType | ''
  /** A number when typed as one; the server names anything else as not a positive integer. */
  length: number | string
}

export interface ResourceInput {
  systemId?: number
  name: string
  subcategoryCode: string
  provisionMode: SharingMode | ''
  updateCycle: UpdateCycle | ''
  subjectClass: SubjectClass | ''
  purpose: Purpose | ''
  sharingAttribute: SharingAttribute | ''
  sensitivity: Sensitivity | ''
  reviewer: string
  filler: string
  phone: string
  filledAt: string | null
  items: ItemInput[]
}

export type RoundProgress = InferResponseType<(typeof api)['survey-rounds'][':id']['$get']>

/**
 * The body of an editor's call: the editors send what the user typed ('' for a choice not made yet, a
 * length as typed), which the server checks, naming each bad field; so the bodies are typed by the
 * forms' own state, not by the schema the server checks them against.
 */
export const editorBody = (input: SystemInput | ResourceInput) => input as any

/**
 * The multipart body of a form upload (preview, or import with the preview's plan hash); the mode is
 * sent with both, as the plan hash holds it.
 */
export function formUpload(file: File, departmentId: number | string | null | undefined, mode: ImportMode, planHash?: string) {
  const data = new FormData()
  data.set('file', file, file.name)
  if (departmentId != null && departmentId !== '') data.set('department', String(departmentId))
  data.set('mode', mode)
  if (planHash) data.set('planHash', planHash)
  return upload(data)
}
