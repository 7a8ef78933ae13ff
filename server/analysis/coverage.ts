import type { DataResource, Domain } from '../domain/types.js'

export interface MatrixCell {
  /** Data resources of the department in the sub-category. */
  resources: number
  /** Spatial features of those resources. */
  features: number
  /** Monitoring data, counted both ways: resources whose purpose is 监测预警, and monitoring-point features. */
  monitoringResources: number
  monitoringPoints: number
}

/**
 * The annex-1 coverage matrix: every sub-category × every department, with resources, features and
 * monitoring data per cell; a sub-category no department covers is marked uncovered.
 */
export function coverageMatrix(domains: Domain[], departments: { id: number; name: string }[], resources: DataResource[],
  featureRows: { resource_id: number; kind: string; n: number }[]) {
  const features = new Map<number, { all: number; monitoring: number }>()
  for (const f of featureRows) {
    const c = features.get(f.resource_id) ?? { all: 0, monitoring: 0 }
    c.all += f.n
    if (f.kind === 'monitoring-point') c.monitoring += f.n
    features.set(f.resource_id, c)
  }
  const cells = new Map<string, MatrixCell>()
  for (const r of resources) {
    const k = `${r.subcategoryCode}:${r.departmentId}`
    const c = cells.get(k) ?? { resources: 0, features: 0, monitoringResources: 0, monitoringPoints: 0 }
    const f = features.get(r.id)
    c.resources++
    c.features += f?.all ?? 0
    c.monitoringPoints += f?.monitoring ?? 0
    if (r.purpose === 'monitoring') c.monitoringResources++
    cells.set(k, c)
  }
  const empty: MatrixCell = { resources: 0, features: 0, monitoringResources: 0, monitoringPoints: 0 }
  const rows = domains.flatMap((d) => d.subcategories.map((s) => {
    const byDepartment = departments.map((dep) => cells.get(`${s.code}:${dep.id}`) ?? empty)
    const sum = (k: keyof MatrixCell) => byDepartment.reduce((n, c) => n + c[k], 0)
    return {
      domainCode: d.code, domainName: d.name, code: s.code, name: s.name,
      cells: byDepartment,
      total: { resources: sum('resources'), features: sum('features'), monitoringResources: sum('monitoringResources'), monitoringPoints: sum('monitoringPoints') },
      departments: byDepartment.filter((c) => c.resources > 0).length,
      covered: byDepartment.some((c) => c.resources > 0),
    }
  }))
  return {
    departments: departments.map((d) => ({ id: d.id, name: d.name })),
    rows,
    uncovered: rows.filter((r) => !r.covered).map((r) => ({ code: r.code, name: r.name, domainCode: r.domainCode })),
    monitoringRule: '监测数据：用途为“监测预警”的数据资源数，以及监测点要素数（两者分别给出）',
  }
}
