/**
 * What the forms carry, independent of where it came from (an uploaded workbook, a CSV file or the
 * on-screen editor): drafts of systems, resources and items with codes, and the problems found.
 */
import type {
  BuildLevel, DataType, Deployment, Network, Purpose, RunStatus, SecurityLevel, Sensitivity, SharingAttribute,
  SharingMode, SubjectClass, UpdateCycle,
} from '../domain/enums.js'
import type { FormProblem } from '../domain/forms.js'

export type { FormProblem }

/** Where a value was read: sheet, Excel row number and column letter. */
export interface CellRef { sheet: string; row: number; column: string }

export interface FooterDraft {
  reviewer: string
  filler: string
  phone: string
  filledAt: string | null
}

export interface SystemDraft extends FooterDraft {
  departmentId: number
  name: string
  buildLevel: BuildLevel
  builder: string
  operator: string
  deployment: Deployment
  runStatus: RunStatus
  securityLevel: SecurityLevel
  sharesData: boolean
  sharingModes: SharingMode[]
  networks: Network[]
  at?: CellRef
}

export interface ItemDraft {
  name: string
  dataType: DataType
  length: number
  at?: CellRef
}

/** Fields of a resource that the official form does not carry; kept as they are, or defaulted when new. */
export interface ResourceExtras {
  subjectClass: SubjectClass
  purpose: Purpose
  sharingAttribute: SharingAttribute
  sensitivity: Sensitivity
}

export interface ResourceDraft extends FooterDraft {
  departmentId: number
  systemId: number
  systemName: string
  subcategoryCode: string
  name: string
  provisionMode: SharingMode
  updateCycle: UpdateCycle
  items: ItemDraft[]
  /** Only the on-screen editor sets these; an import keeps what the resource has. */
  extras?: ResourceExtras
  at?: CellRef
}

/** Defaults for a resource first reported through the form; all editable on screen. */
export const NEW_RESOURCE_EXTRAS: ResourceExtras = {
  subjectClass: 'thing',
  purpose: 'basic',
  sharingAttribute: 'conditional',
  sensitivity: 'internal',
}

export function problemAt(at: CellRef | undefined, field: string, message: string): FormProblem {
  return { sheet: at?.sheet ?? null, row: at?.row ?? null, column: at?.column ?? null, field, message }
}
