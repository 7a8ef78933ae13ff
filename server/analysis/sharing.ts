import type { DataResource } from '../domain/types.js'

/** Why a resource is a sharing gap. */
const SHARING_GAP_REASONS = [
  { code: 'not-shared', label: '不予共享' },
  { code: 'file-only', label: '仅以文件方式提供' },
  { code: 'system-not-sharing', label: '所属系统不对外提供数据' },
] as const
export type SharingGapReason = (typeof SHARING_GAP_REASONS)[number]['code']

export interface SharingGap {
  resourceId: number; resourceName: string; departmentId: number; departmentName: string; systemId: number; systemName: string
  domainCode: string; subcategoryCode: string; reasons: SharingGapReason[]
}

/**
 * Sharing gaps: resources marked 不予共享, provided only as files, or belonging to a system that does not
 * share data at all (annex 2, shares_data = 0); each with every reason that applies, grouped by department and by domain.
 */
export function sharingGaps(resources: DataResource[], systems: Map<number, { sharesData: boolean }>, departments: { id: number; name: string }[],
  domains: { code: string; name: string }[]) {
  const gaps: SharingGap[] = []
  for (const r of resources) {
    const reasons: SharingGapReason[] = []
    if (r.sharingAttribute === 'none') reasons.push('not-shared')
    if (r.provisionMode === 'file') reasons.push('file-only')
    if (systems.get(r.systemId)?.sharesData === false) reasons.push('system-not-sharing')
    if (reasons.length) {
      gaps.push({ resourceId: r.id, resourceName: r.name, departmentId: r.departmentId, departmentName: r.departmentName, systemId: r.systemId,
        systemName: r.systemName, domainCode: r.domainCode, subcategoryCode: r.subcategoryCode, reasons })
    }
  }
  const tally = (list: SharingGap[]) => Object.fromEntries(SHARING_GAP_REASONS.map((x) => [x.code, list.filter((g) => g.reasons.includes(x.code)).length])) as Record<SharingGapReason, number>
  const totalOf = (pred: (r: DataResource) => boolean) => resources.filter(pred).length
  return {
    reasons: SHARING_GAP_REASONS,
    total: resources.length,
    gaps: gaps.length,
    byReason: tally(gaps),
    byDepartment: departments.map((d) => {
      const own = gaps.filter((g) => g.departmentId === d.id)
      return { departmentId: d.id, name: d.name, resources: totalOf((r) => r.departmentId === d.id), gaps: own.length, byReason: tally(own), items: own }
    }).filter((d) => d.resources > 0),
    byDomain: domains.map((d) => {
      const own = gaps.filter((g) => g.domainCode === d.code)
      return { code: d.code, name: d.name, resources: totalOf((r) => r.domainCode === d.code), gaps: own.length, byReason: tally(own) }
    }),
  }
}
