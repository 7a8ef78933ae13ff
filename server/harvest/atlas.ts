import type { Db } from '../db/connect.js'
import {
  FEDERATION_PROTOCOL, type FederatedFeature, type FederationPage, type HarvestRecordKind,
} from '../domain/federation.js'
import {
  applyCatalog, applyFeaturePage, applyUpdates, catalogDeletions, deleteFeatures, heldCatalog, heldCounts, heldFeatureIds, resourceIdsOf,
  type IncomingCatalog, type PlannedDeletions, type ReportBuilder,
} from './apply.js'
import { SourceClient, SourceError } from './client.js'
import { acceptRecords, departmentRecord, manifestRecord, resourceRecord, systemRecord, updateRecord } from './records.js'
import type { SourceRow } from './queries.js'

/**
 * One harvest job over a district atlas (its /api/federation/* with a federation token), in two phases:
 * 1. plan, writing nothing: the manifest (versions and counts), the inventory, the resources when the
 *    catalog's version changed, and the ids of the features compared with the ids the city holds;
 *    then the deletion guard judges the planned deletions;
 * 2. apply: the catalog in one transaction, new update records, deleted features, then the features
 *    that are new or were changed in place, a page at a time; finally the city's counts are compared
 *    with the district's (a difference is an error of the job, not a footnote).
 */

export interface JobInput {
  db: Db
  source: SourceRow
  /** Deletions an administrator confirmed, per kind (a confirmed job may delete up to these). */
  confirmed: Partial<Record<HarvestRecordKind, number>> | null
  report: ReportBuilder
  now: () => Date
  subcategories: Set<string>
}

export type JobResult =
  | { outcome: 'done'; state: Record<string, unknown>; district: { code: string; name: string } | null }
  | { outcome: 'guarded'; planned: PlannedDeletions[] }

/** The state a source keeps between jobs: what the last successful job had seen. */
interface AtlasState {
  catalogKey?: string
  featuresVersion?: number
  maxRevision?: number
  maxUpdateId?: number
}

const FEATURE_PAGE = 2_000
/** Ids per page: each page is one short query at the district (a larger page would hold its event loop longer). */
const ID_PAGE = 25_000
/** Missing ids closer than this are fetched in one range (the few already held in between are compared and left). */
const RANGE_GAP = 256
/** Revisions are re-read this far back: on PostgreSQL a later revision can commit before an earlier one. */
const REVISION_OVERLAP = 100

export async function harvestAtlas(input: JobInput): Promise<JobResult> {
  const { source, report } = input
  const client = new SourceClient(source.url, { token: source.token })
  try {
    return await run(input, client)
  } finally {
    report.report.bytes = client.bytes
    report.report.requests = client.requests
  }
}

async function run(input: JobInput, client: SourceClient): Promise<JobResult> {
  const { db, source, report } = input
  const state = source.state as AtlasState
  const first = state.catalogKey === undefined

  // ---- 1. plan ----
  const raw = await client.json<{ protocol?: unknown }>('api/federation/manifest')
  if (raw?.protocol !== FEDERATION_PROTOCOL) {
    throw new SourceError(`来源不是本产品的区县平台，或汇聚协议版本不同（来源 ${String(raw?.protocol)}，本平台 ${FEDERATION_PROTOCOL}）`)
  }
  const checked = manifestRecord.safeParse(raw)
  if (!checked.success) throw new SourceError(`来源的汇聚清单格式不对：${checked.error.issues[0]!.path.join('.')} ${checked.error.issues[0]!.message}`)
  const manifest = checked.data
  if (source.districtCode && manifest.district?.code !== source.districtCode) {
    throw new SourceError(`来源现在是 ${manifest.district?.name ?? '未知区县'}（${manifest.district?.code ?? '?'}），不是登记时的 ${source.districtName ?? source.districtCode}；请核对地址`)
  }
  const counts = manifest.counts
  for (const kind of ['departments', 'systems', 'resources', 'items', 'updates', 'features'] as const) report.tally(kind).source = Number(counts?.[kind] ?? 0)

  const inventory = await client.json<{ departments: unknown; systems: unknown }>('api/federation/inventory')
  const catalogKey = `${manifest.versions.catalog}.${manifest.versions.search}`
  const catalogChanged = catalogKey !== state.catalogKey
  let resources: IncomingCatalog['resources'] = null
  if (catalogChanged) {
    resources = []
    for (let after = 0; ;) {
      const page = await client.json<FederationPage<unknown>>(`api/federation/resources?after=${after}`)
      resources.push(...acceptRecords(page.items, resourceRecord, 'resources', report))
      if (page.next === null || page.next === undefined || !(page.next > after)) break
      after = page.next
    }
  } else report.report.skipped.push('resources', 'items')
  const incoming: IncomingCatalog = {
    departments: acceptRecords(inventory.departments, departmentRecord, 'departments', report),
    systems: acceptRecords(inventory.systems, systemRecord, 'systems', report),
    resources,
  }
  const held = await heldCatalog(db, source.id, catalogChanged)
  report.phase('读取目录')
  const planned = catalogDeletions(held, incoming)

  // Features: compare the district's ids with the city's, range by range.
  const featuresChanged = catalogChanged || manifest.versions.features !== state.featuresVersion
  let missing: [number, number][] = []
  let extra: number[] = []
  if (featuresChanged) {
    const compared = await compareFeatureIds(db, source.id, client)
    missing = compared.missing
    extra = compared.extra
    planned.push({ kind: 'features', deleting: extra.length, of: compared.held })
  } else report.report.skipped.push('features')
  report.phase('比对要素编号')

  const guard = guardTrips(planned, source.deleteThreshold, input.confirmed)
  if (guard) return { outcome: 'guarded', planned: guard }

  // ---- 2. apply ----
  const added = await applyCatalog(db, {
    sourceId: source.id, sourceLabel: manifest.district.name, districtCode: manifest.district.code, subcategories: input.subcategories, now: input.now().toISOString(),
  }, held, incoming, report)
  const resourceIds = await resourceIdsOf(db, source.id)
  report.phase('写入目录')

  // Update records: what is new since the last job, and the whole history of resources new to the city.
  let maxUpdateId = state.maxUpdateId ?? 0
  for (let after = maxUpdateId; ;) {
    const page = await client.json<FederationPage<unknown>>(`api/federation/updates?after=${after}`)
    await applyUpdates(db, source.id, resourceIds, acceptRecords(page.items, updateRecord, 'updates', report), report)
    if (Array.isArray(page.items)) for (const u of page.items as { id?: unknown }[]) if (typeof u?.id === 'number' && u.id > maxUpdateId) maxUpdateId = u.id
    if (page.next === null || page.next === undefined || !(page.next > after)) break
    after = page.next
  }
  if (!first) {
    for (const remote of added) {
      for (let after = 0; ;) {
        const page = await client.json<FederationPage<unknown>>(`api/federation/updates?resource=${remote}&after=${after}`)
        await applyUpdates(db, source.id, resourceIds, acceptRecords(page.items, updateRecord, 'updates', report), report)
        if (page.next === null || page.next === undefined || !(page.next > after)) break
        after = page.next
      }
    }
  }

  report.phase('更新记录')
  if (featuresChanged) {
    const ctx = { sourceId: source.id, districtCode: manifest.district.code }
    await deleteFeatures(db, source.id, extra)
    report.tally('features').deleted += extra.length
    for (const [from, to] of missing) {
      for (let after = from - 1; ;) {
        const page = await client.json<FederationPage<FederatedFeature>>(`api/federation/features?from=${from}&to=${to}&after=${after}&limit=${FEATURE_PAGE}`)
        const items = validFeatures(page.items, report)
        await applyFeaturePage(db, ctx, resourceIds, items, report)
        if (page.next === null || page.next === undefined || !(page.next > after)) break
        after = page.next
      }
    }
    // Features changed in place since the last job (new ones were all read above).
    if (!first) {
      for (let after = Math.max(0, (state.maxRevision ?? 0) - REVISION_OVERLAP); ;) {
        const page = await client.json<FederationPage<FederatedFeature>>(`api/federation/features?revisionAfter=${after}&limit=${FEATURE_PAGE}`)
        await applyFeaturePage(db, ctx, resourceIds, validFeatures(page.items, report), report)
        if (page.next === null || page.next === undefined || !(page.next > after)) break
        after = page.next
      }
    }
  }

  report.phase('写入要素')
  // ---- what the city holds now, against what the district said it shares ----
  const now = await heldCounts(db, source.id)
  for (const kind of ['departments', 'systems', 'resources', 'items', 'updates', 'features'] as const) {
    const t = report.tally(kind)
    t.harvested = now[kind]
    // Kinds not compared record by record this time: whatever was not added or updated is unchanged.
    const enumerated = kind === 'departments' || kind === 'systems' || ((kind === 'resources' || kind === 'items') && catalogChanged)
    if (!enumerated) t.unchanged = Math.max(0, now[kind] - t.added - t.updated)
    if (t.source !== null && t.source !== now[kind]) {
      report.error({ kind, remoteId: null, name: '', message: `数量不一致：区县共享 ${t.source} 条，市级汇聚到 ${now[kind]} 条` })
    }
  }
  report.phase('核对数量')
  const ok = (kinds: HarvestRecordKind[]) => kinds.every((k) => !report.errorsOf(k))
  const next: AtlasState = {
    // A kind with errors is compared again in full next time, even if the district did not change it.
    catalogKey: ok(['departments', 'systems', 'resources', 'items']) ? catalogKey : undefined,
    featuresVersion: ok(['features']) ? manifest.versions.features : undefined,
    maxRevision: first || ok(['features']) ? manifest.maxFeatureRevision : state.maxRevision,
    // Update records that could not be taken are read again next time (taking one twice is harmless).
    maxUpdateId: ok(['updates']) ? maxUpdateId : state.maxUpdateId,
  }
  return { outcome: 'done', state: next as Record<string, unknown>, district: manifest.district }
}

function validFeatures(items: unknown, report: ReportBuilder): FederatedFeature[] {
  if (!Array.isArray(items)) {
    report.error({ kind: 'features', remoteId: null, name: '', message: '来源返回的要素列表格式不对' })
    return []
  }
  return (items as FederatedFeature[]).filter((f) => {
    const ok = f !== null && typeof f === 'object' && Number.isSafeInteger(f.id) && f.id > 0 && Number.isSafeInteger(f.resourceId)
    if (!ok) report.error({ kind: 'features', remoteId: null, name: '', message: '要素缺少有效的编号' })
    return ok
  })
}

/**
 * The district's feature ids (as runs) against the ids the city holds, both read in pages: the ranges
 * to fetch (ids the city lacks, nearby ones merged) and the ids to delete (the district no longer shares them).
 */
async function compareFeatureIds(db: Db, sourceId: number, client: SourceClient): Promise<{ missing: [number, number][]; extra: number[]; held: number }> {
  const runs: [number, number][] = []
  for (let after = 0; ;) {
    const page = await client.json<FederationPage<[number, number]>>(`api/federation/feature-ids?after=${after}&limit=${ID_PAGE}`)
    if (!Array.isArray(page.items)) throw new SourceError('来源返回的要素编号列表格式不对')
    for (const run of page.items) {
      const [a, b] = Array.isArray(run) ? run : [NaN, NaN]
      const last = runs[runs.length - 1]
      if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a! > b! || a! <= (last?.[1] ?? 0)) throw new SourceError('来源返回的要素编号不是递增的编号段')
      runs.push([a!, b!])
    }
    if (page.next === null || page.next === undefined || !(page.next > after)) break
    after = page.next
  }
  // Walk the city's ids in order against the runs.
  const missing: [number, number][] = []
  const extra: number[] = []
  let held = 0
  let r = 0
  let cursor = runs[0]?.[0] ?? 0 // the next id of run r not yet accounted for
  const lack = (a: number, b: number) => {
    if (a > b) return
    const last = missing[missing.length - 1]
    if (last && a - last[1] <= RANGE_GAP) last[1] = b
    else missing.push([a, b])
  }
  for (let after = 0; ;) {
    const ids = await heldFeatureIds(db, sourceId, after, ID_PAGE)
    for (const id of ids) {
      held++
      while (r < runs.length && runs[r]![1] < id) {
        lack(Math.max(cursor, runs[r]![0]), runs[r]![1])
        r++
        cursor = runs[r]?.[0] ?? 0
      }
      if (r < runs.length && id >= runs[r]![0]) {
        lack(Math.max(cursor, runs[r]![0]), id - 1)
        cursor = id + 1
      } else extra.push(id)
    }
    if (ids.length < ID_PAGE) break
    after = ids[ids.length - 1]!
  }
  for (; r < runs.length; r++) {
    lack(Math.max(cursor, runs[r]![0]), runs[r]![1])
    cursor = runs[r + 1]?.[0] ?? 0
  }
  return { missing, extra, held }
}

/**
 * The deletion guard: the kinds whose planned deletions exceed the source's threshold share of what the
 * city holds of them (and more than one record), beyond what an administrator confirmed; null when none do.
 */
export function guardTrips(planned: PlannedDeletions[], threshold: number, confirmed: Partial<Record<HarvestRecordKind, number>> | null): PlannedDeletions[] | null {
  const over = planned.filter((p) => p.deleting > 1 && p.deleting > threshold * p.of && p.deleting > (confirmed?.[p.kind] ?? -1))
  return over.length ? planned.filter((p) => p.deleting > 0) : null
}
