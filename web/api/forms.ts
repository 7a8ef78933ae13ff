import type {
  BuildLevel, DataType, Deployment, Network, Purpose, RunStatus, SecurityLevel, Sensitivity, SharingAttribute, SharingMode,
  SubjectClass, UpdateCycle,
} from '../../server/domain/enums.js'
import type { FormKind, FormProblem, ImportPreview, ImportSummary, PreviewChange } from '../../server/domain/forms.js'
import type { FilterState } from './filter-params.js'
import { filtersToSearchParams } from './filter-params.js'
import type { InferResponseType } from 'hono/client'
import { answer, ApiError, request, routes } from './client.js'

/**
 * Typed calls of the survey-forms API: templates, exports, uploads with preview and import,
 * "no systems", survey rounds, and the on-screen editors (server/forms, server/survey,
 * server/forms/edit-routes.ts). The response shapes are the shared ones of server/domain/forms.ts.
 */

export type { FormKind, FormProblem, ImportPreview, ImportSummary, PreviewChange }

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

export interface RoundInput {
  title: string
  /** ISO date-time with its zone, e.g. 2022-03-21T12:00+08:00. */
  systemsDeadline: string
  resourcesDeadline: string
  departmentIds: number[]
}

export type RoundProgress = InferResponseType<(typeof routes)['survey-rounds'][':id']['$get']>

/**
 * The editors send what the user typed ('' for a choice not made yet, a length as typed): the server
 * checks it and names each bad field, so the bodies are typed by the forms' own state, not by the
 * schema the server checks them against.
 */
// The body is checked by the server (see above).
const typed = (input: object) => input as any

function upload(file: File, departmentId: number | string | null | undefined, planHash?: string): FormData {
  const data = new FormData()
  data.set('file', file, file.name)
  if (departmentId != null && departmentId !== '') data.set('department', String(departmentId))
  if (planHash) data.set('planHash', planHash)
  return data
}

/** URL of a blank or department-pre-filled template (附件2 / 附件3). */
export function templateUrl(form: FormKind, departmentId?: number | string): string {
  const qs = departmentId != null && departmentId !== '' ? `?department=${encodeURIComponent(String(departmentId))}` : ''
  return `/api/forms/${form}/template.xlsx${qs}`
}

/** URL of the catalog exported in a form's layout, for the given filters (none: everything). */
export function exportUrl(form: FormKind, filters?: FilterState): string {
  const qs = filters ? filtersToSearchParams(filters) : new URLSearchParams()
  // The form export takes the catalog filters; map-only ones (kind, risk) are not among them.
  qs.delete('kind')
  qs.delete('risk')
  const s = qs.toString()
  return `/api/forms/${form}/export.xlsx${s ? `?${s}` : ''}`
}

const param = (id: number | string) => ({ param: { id: String(id) } })
const rounds = routes['survey-rounds']

export const formsApi = {
  // Uploads are multipart bodies the handlers read themselves: sent by path through the one request function.
  preview: (form: FormKind, file: File, departmentId?: number | string | null) =>
    request<ImportPreview>(`/api/forms/${form}/preview`, { method: 'POST', body: upload(file, departmentId) }),
  /** Writes a previewed file; 422 form_invalid or 409 plan_changed come back as an ApiError (see formsError). */
  import: (form: FormKind, file: File, planHash: string, departmentId?: number | string | null) =>
    request<ImportPreview>(`/api/forms/${form}/import`, { method: 'POST', body: upload(file, departmentId, planHash) }),
  reportNoSystems: (departmentId: number | string) => answer(routes.departments[':id']['no-systems'].$post(param(departmentId))),

  rounds: () => answer(rounds.$get()),
  round: (id: number | string) => answer(rounds[':id'].$get(param(id))),
  createRound: (input: RoundInput) => answer(rounds.$post({ json: input })),
  updateRound: (id: number | string, input: RoundInput) => answer(rounds[':id'].$put({ ...param(id), json: input })),

  createSystem: (departmentId: number | string, input: SystemInput) =>
    answer(routes.departments[':id'].systems.$post({ ...param(departmentId), json: typed(input) })),
  updateSystem: (id: number | string, input: SystemInput) => answer(routes.systems[':id'].$put({ ...param(id), json: typed(input) })),
  deleteSystem: (id: number | string) => answer(routes.systems[':id'].$delete(param(id))),

  createResource: (systemId: number | string, input: ResourceInput) =>
    answer(routes.systems[':id'].resources.$post({ ...param(systemId), json: typed(input) })),
  updateResource: (id: number | string, input: ResourceInput) => answer(routes.resources[':id'].$put({ ...param(id), json: typed(input) })),
  deleteResource: (id: number | string) => answer(routes.resources[':id'].$delete(param(id))),
}
