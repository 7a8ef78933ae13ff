/**
 * What the survey-forms API answers with, shared by the server and the web app (types only).
 */

/** 附件2 (systems, one sheet per system) or 附件3 (resources, one row per data item). */
export type FormKind = 'systems' | 'resources'

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

export interface ImportSummary {
  added: number
  changed: number
  removed: number
  unchanged: number
  itemsAdded: number
  itemsChanged: number
  itemsRemoved: number
}

/** What importing a file would change (preview) or did change (import). */
export interface ImportPreview {
  form: FormKind
  fileName: string
  departments: { id: number; name: string }[]
  problems: FormProblem[]
  summary: ImportSummary
  changes: PreviewChange[]
  /** Pass back to confirm; a different plan at confirmation time is refused. */
  planHash: string
  canImport: boolean
}
