import type { Db } from '../db/connect.js'
import { FEATURE_KINDS, RISK_LEVELS } from '../domain/enums.js'
import type { DataResource } from '../domain/types.js'
import type { FeatureFilter } from '../selection/filters.js'
import type { Bbox } from '../geo/geometry.js'
import { districtBbox, featureGroupExtents, featureGroups, featuresVersion, listDomains, type FeatureGroup, type FeatureGroupExtent } from './queries.js'

/** One OGC collection: the features of one kind, or of one domain. */
export interface CollectionDef {
  id: string
  title: string
  description: string
  /** The catalog filter that selects the collection's features. */
  filter: FeatureFilter
  /** Whether a feature of this kind, in a resource of this domain, belongs here. */
  holds: (kind: string, domainCode: string) => boolean
}

const GEOMETRY_LABELS: Record<string, string> = { Point: '点', LineString: '线', Polygon: '面' }

/** The collections: one per feature kind (ids = kind codes) and one per domain (ids `domain-<code>`). */
export async function collectionDefs(db: Db): Promise<CollectionDef[]> {
  const kinds: CollectionDef[] = FEATURE_KINDS.map((k) => ({
    id: k.code,
    title: k.label,
    description: `全部${k.label}要素（几何类型：${k.geometry.map((g) => GEOMETRY_LABELS[g] ?? g).join('、')}），跨部门汇聚；每个要素带名称、风险等级、所属部门、业务系统、数据资源、领域、子类和更新时间。`,
    filter: { kind: [k.code] },
    holds: (kind) => kind === k.code,
  }))
  const domains: CollectionDef[] = (await listDomains(db)).map((d) => ({
    id: `domain-${d.code}`,
    title: d.name,
    description: `${d.name}领域全部数据资源的空间要素（风险点、危险源、监测点、设施、管网、重点防护目标、应急资源）${d.data_scope ? `；${d.data_scope}` : ''}。`,
    filter: { domain: [d.code] },
    holds: (_kind, domainCode) => domainCode === d.code,
  }))
  return [...kinds, ...domains]
}

/** Counts and extents of one collection, from what the viewer may see only. */
export interface CollectionFacts {
  count: number
  bbox: Bbox | null
  interval: [string, string] | null
}

const extentCache = new WeakMap<Db, { version: number; groups: FeatureGroupExtent[] }>()

/** Per-group extents, rescanned only when the features counter moved. */
async function cachedExtents(db: Db): Promise<FeatureGroupExtent[]> {
  const version = await featuresVersion(db)
  const hit = extentCache.get(db)
  if (hit && hit.version === version) return hit.groups
  const groups = await featureGroupExtents(db)
  extentCache.set(db, { version, groups })
  return groups
}

/**
 * Sums the groups a collection holds among the visible resources, narrowed by the scope's kind and
 * risk lists (a wall screen's filter). Counts come from the trigger-maintained summary; extents from
 * a cached per-group scan.
 */
export async function collectionFacts(db: Db, defs: CollectionDef[], visible: DataResource[], scopeKinds: string[] | undefined, scopeRisks: string[] | undefined, withExtents: boolean): Promise<Map<string, CollectionFacts>> {
  const domainOf = new Map(visible.map((r) => [r.id, r.domainCode]))
  const kindOk = (g: FeatureGroup) => !scopeKinds?.length || scopeKinds.includes(g.kind)
  const riskOk = (g: FeatureGroup) => !scopeRisks?.length || scopeRisks.includes(g.risk)
  const out = new Map<string, CollectionFacts>(defs.map((d) => [d.id, { count: 0, bbox: null, interval: null }]))
  const place = (g: FeatureGroup, add: (facts: CollectionFacts) => void) => {
    const domain = domainOf.get(g.resourceId)
    if (domain === undefined || !kindOk(g) || !riskOk(g)) return
    for (const d of defs) if (d.holds(g.kind, domain)) add(out.get(d.id)!)
  }
  for (const g of await featureGroups(db)) place(g, (f) => { f.count += g.n })
  if (withExtents) {
    for (const g of await cachedExtents(db)) {
      place(g, (f) => {
        f.bbox = f.bbox ? [Math.min(f.bbox[0], g.bbox[0]), Math.min(f.bbox[1], g.bbox[1]), Math.max(f.bbox[2], g.bbox[2]), Math.max(f.bbox[3], g.bbox[3])] : g.bbox
        f.interval = f.interval ? [f.interval[0] < g.firstUpdate ? f.interval[0] : g.firstUpdate, f.interval[1] > g.lastUpdate ? f.interval[1] : g.lastUpdate] : [g.firstUpdate, g.lastUpdate]
      })
    }
  }
  return out
}

/** The extent to show for a collection the viewer sees nothing of: the district the atlas covers. */
export function fallbackBbox(db: Db): Promise<Bbox | null> {
  return districtBbox(db)
}

export const RISK_LABELS = new Map<string, string>(RISK_LEVELS.map((r) => [r.code, r.label]))
export const KIND_LABELS = new Map<string, string>(FEATURE_KINDS.map((k) => [k.code, k.label]))

/** numberMatched of an items query without bbox or datetime, from the summary (no scan of the features). */
export async function countFromSummary(db: Db, q: { resourceIds: number[] | null; kind: string[] | null; risk: string[] | null }): Promise<number> {
  const ids = q.resourceIds ? new Set(q.resourceIds) : null
  let n = 0
  for (const g of await featureGroups(db)) {
    if (ids && !ids.has(g.resourceId)) continue
    if (q.kind && !q.kind.includes(g.kind)) continue
    if (q.risk && !q.risk.includes(g.risk)) continue
    n += g.n
  }
  return n
}
