import type {
  BuildLevel, DataType, Deployment, Network, Purpose, RunStatus, SecurityLevel, Sensitivity, SharingAttribute, SharingMode,
  SubjectClass, UpdateCycle,
} from '../../server/domain/enums.js'
import type { FormKind, FormProblem, ImportPreview, ImportSummary, PreviewChange } from '../../server/domain/forms.js'
import type { DepartmentReport, SurveyRound } from '../../server/domain/types.js'
import type { FilterState } from './filter-params.js'
import { filtersToSearchParams } from './filter-params.js'
import { ApiError, request } from './client.js'

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

/**
 * An API error with the server's code, message and typed details (field issues, form problems, a
 * fresh preview): client.ts's ApiError with the forms' details spelled out.
 */
export class FormsApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: {
      parameter?: string
      issues?: FieldIssue[]
      problems?: FormProblem[]
      preview?: ImportPreview
    } = {},
  ) {
    super(message)
    this.name = 'FormsApiError'
  }
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

export interface RoundProgress {
  round: SurveyRound
  reports: DepartmentReport[]
}

/** Every call goes through client.ts's request (CSRF header, sign-in redirect); errors keep their details. */
async function send<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  try {
    return await request<T>(path, { method, body })
  } catch (e) {
    if (e instanceof ApiError) throw new FormsApiError(e.status, e.code, e.message, e.details as FormsApiError['details'])
    throw e
  }
}

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

export const formsApi = {
  preview: (form: FormKind, file: File, departmentId?: number | string | null) =>
    send<ImportPreview>('POST', `/api/forms/${form}/preview`, upload(file, departmentId)),
  /** Writes a previewed file; 422 form_invalid or 409 plan_changed come back as FormsApiError. */
  import: (form: FormKind, file: File, planHash: string, departmentId?: number | string | null) =>
    send<ImportPreview>('POST', `/api/forms/${form}/import`, upload(file, departmentId, planHash)),
  reportNoSystems: (departmentId: number | string) =>
    send<{ ok: true }>('POST', `/api/departments/${encodeURIComponent(departmentId)}/no-systems`),

  rounds: () => send<{ items: SurveyRound[] }>('GET', '/api/survey-rounds'),
  round: (id: number | string) => send<RoundProgress>('GET', `/api/survey-rounds/${encodeURIComponent(id)}`),
  createRound: (input: RoundInput) => send<RoundProgress>('POST', '/api/survey-rounds', input),
  updateRound: (id: number | string, input: RoundInput) => send<RoundProgress>('PUT', `/api/survey-rounds/${encodeURIComponent(id)}`, input),

  createSystem: (departmentId: number | string, input: SystemInput) =>
    send<{ id: number }>('POST', `/api/departments/${encodeURIComponent(departmentId)}/systems`, input),
  updateSystem: (id: number | string, input: SystemInput) => send<{ id: number }>('PUT', `/api/systems/${encodeURIComponent(id)}`, input),
  deleteSystem: (id: number | string) =>
    send<{ id: number; removedResources: number; removedFeatures: number }>('DELETE', `/api/systems/${encodeURIComponent(id)}`),

  createResource: (systemId: number | string, input: ResourceInput) =>
    send<{ id: number }>('POST', `/api/systems/${encodeURIComponent(systemId)}/resources`, input),
  updateResource: (id: number | string, input: ResourceInput) =>
    send<{ id: number; changed: boolean }>('PUT', `/api/resources/${encodeURIComponent(id)}`, input),
  deleteResource: (id: number | string) => send<{ id: number; removedFeatures: number }>('DELETE', `/api/resources/${encodeURIComponent(id)}`),
}
