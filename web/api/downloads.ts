import type { FormKind } from '../../server/domain/forms.js'
import { api } from './client.js'
import type { FilterState } from './filter-params.js'
import { filtersToQuery } from './filter-params.js'

/**
 * Links of the API's spreadsheet downloads. The browser fetches them itself (`<a download>`, with the
 * session cookie), so they are paths, not calls; the typed client checks their parameters.
 */

/** A blank or department-pre-filled template (附件2 / 附件3). */
export function templateUrl(form: FormKind, departmentId?: number | string): string {
  const query = departmentId != null && departmentId !== '' ? { department: String(departmentId) } : {}
  return api.forms[':form']['template.xlsx'].$path({ param: { form }, query })
}

/** The catalog exported in a form's layout, for the given filters (none: everything). */
export function exportUrl(form: FormKind, filters?: FilterState): string {
  const query: Record<string, string> = filters ? filtersToQuery(filters) : {}
  // The form export takes the catalog filters; map-only ones (kind, risk) are not among them.
  delete query.kind
  delete query.risk
  return api.forms[':form']['export.xlsx'].$path({ param: { form }, query })
}

/** The 督办清单 of one department (or all). */
export function chaseListUrl(departmentId?: number): string {
  return api.supervision['chase-list.xlsx'].$path({ query: departmentId ? { department: String(departmentId) } : {} })
}

/** The 风险清单 (risk register) of the risk points and hazard sources the filters select. */
export function riskRegisterUrl(filters: FilterState): string {
  const query = filtersToQuery(filters)
  // The register lists risk points and hazard sources whatever the map shows: the kind is not among its filters.
  delete query.kind
  return api.risk['register.xlsx'].$path({ query })
}

/** The 风险评估导入表: a reporter's own department's points; an administrator's chosen department (none: all). */
export function assessmentTemplateUrl(departmentId?: number | string | null): string {
  const query = departmentId != null && departmentId !== '' ? { department: String(departmentId) } : {}
  return api.risk.assessments['template.xlsx'].$path({ query })
}
