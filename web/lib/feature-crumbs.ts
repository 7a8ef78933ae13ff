/** What a feature's page shows of where it comes from (GET /api/features/:id provenance). */
interface Provenance {
  department: { id: number; name: string }
  system: { id: number; name: string }
  resource: { id: number; name: string }
}

/** The breadcrumbs of a feature's page: 部门填报 → department → system → resource → the feature. */
export function featureCrumbs(p: Provenance | null, name: string | null): { label: string; to?: string }[] {
  const dept = p ? `/departments/${p.department.id}` : ''
  return [
    { label: '部门填报', to: '/departments' },
    { label: p?.department.name ?? '…', to: dept || undefined },
    { label: p?.system.name ?? '…', to: p ? `${dept}/systems/${p.system.id}` : undefined },
    { label: p?.resource.name ?? '…', to: p ? `${dept}/systems/${p.system.id}/resources/${p.resource.id}` : undefined },
    { label: name ?? '…' },
  ]
}

/** Where a feature's own page is: the risk page of a risk point or hazard source, a monitoring point's page, else its feature page. */
export function featurePagePath(kind: string, id: number): string {
  if (kind === 'risk-point' || kind === 'hazard-source') return `/risk-points/${id}`
  if (kind === 'monitoring-point') return `/points/${id}`
  return `/features/${id}`
}
