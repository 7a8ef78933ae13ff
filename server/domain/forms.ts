/**
 * What the survey-forms API answers with, shared by the server and the web app (types only).
 */

/** 附件2 (systems, one sheet per system) or 附件3 (resources, one row per data item). */
export type FormKind = 'systems' | 'resources'

/**
 * How an uploaded form meets the catalog: `replace` (the default) takes the form as the department's
 * whole answer, so its systems or resources that are not in the form are deleted; `merge` only adds
 * and updates what the form lists and deletes nothing.
 */
export type ImportMode = 'replace' | 'merge'
export const IMPORT_MODES: readonly ImportMode[] = ['replace', 'merge']

/** One problem, located so the reporter can find and fix it; the message is in Chinese. */
export interface FormProblem {
  sheet: string | null
  row: number | null
  column: string | null
  /** The form's name of the field (列名), or the editor's field name. */
  field: string
  message: string
}

/** One line of the preview: what happens to one system or resource. */
export interface PreviewChange {
  action: 'add' | 'change' | 'remove'
  entity: 'system' | 'resource'
  departmentName: string
  systemName: string
  resourceName: string | null
  fields: { label: string; from: string; to: string }[]
  itemsAdded: string[]
  itemsChanged: string[]
  itemsRemoved: string[]
  /** What else goes with a removal, in words. */
  note: string | null
}

/**
 * Everything the removals delete: the removed systems and resources and what is under them (a removed
 * system's resources; the removed resources' data items and map features).
 */
export interface ImportDeletions {
  systems: number
  resources: number
  items: number
  features: number
}

export interface ImportSummary {
  added: number
  changed: number
  removed: number
  unchanged: number
  itemsAdded: number
  itemsChanged: number
  itemsRemoved: number
  deleted: ImportDeletions
}

/** What importing a file would change (preview) or did change (import). */
export interface ImportPreview {
  form: FormKind
  mode: ImportMode
  fileName: string
  departments: { id: number; name: string }[]
  problems: FormProblem[]
  summary: ImportSummary
  changes: PreviewChange[]
  /** Pass back to confirm; a different plan at confirmation time is refused. */
  planHash: string
  canImport: boolean
}
