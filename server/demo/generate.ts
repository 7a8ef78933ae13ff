/**
 * The demo city: a deterministic, clearly labelled synthetic data set (示例数据) for Chongqing's
 * Yubei district — departments, their systems, resources and items, a survey round with its
 * reporting, a year of update history and map features placed inside the real district boundary.
 * The same code produces up to a million features through `scale`.
 */
import type { Db } from '../db/connect.js'
import { CYCLE_PERIOD_MS } from '../domain/freshness.js'
import { RISK_INDICATORS, type RiskLevel, type UpdateCycle } from '../domain/enums.js'
import type { IndicatorBreakdown } from '../domain/types.js'
import type { Geometry, Position } from '../geo/geometry.js'
import { insertFeatureRows, type NewFeature } from '../features/queries.js'
import { inTransaction, insertMany } from '../db/dialect.js'
import type { DataItemsTable, ResourceUpdatesTable } from '../db/schema.js'
import type { Insertable } from 'kysely'
import { FOCUS_DISTRICT, type District, type RegionLocator } from '../geo/regions.js'
import { DEMO_COMMUNITIES, DEMO_DEPARTMENTS, DEMO_ROADS, type DemoDepartment, type DemoFeatureSpec, type DemoResource } from './content.js'
import { Random } from './random.js'

export interface DemoOptions {
  /** Multiplies the number of map features (1 ≈ 20,000; 50 ≈ 1,000,000). Catalog size stays the same. */
  scale: number
  /**
   * Multiplies the catalog (default 1: the authored catalog only). Each resource gets `catalogScale - 1`
   * copies with ~50 data items each and no features, for measuring catalog search at 10,000 resources
   * and 500,000 items. Uses no random draws, so the features and the default output are unchanged.
   */
  catalogScale?: number
  seed: number
  /** The moment the demo is "generated at": update history runs up to it. */
  now: Date
  /** The district whose demo this is (default 渝北区): its name replaces 渝北区 in the authored content. */
  district?: District
}

export interface DemoSummary {
  departments: number
  systems: number
  resources: number
  items: number
  updates: number
  features: number
  ms: number
}

const DEMO_LABEL = '示例数据'
export const DEFAULT_SEED = 20220317

/** The Yubei 2022 survey round of the notice (Asia/Shanghai deadlines, stored in UTC). */
const YUBEI_2022_ROUND = {
  title: '渝北区2022年城市安全数据资源摸排',
  systemsDeadline: '2022-03-21T04:00:00.000Z', // 2022-03-21 12:00 +08:00
  resourcesDeadline: '2022-03-29T10:00:00.000Z', // 2022-03-29 18:00 +08:00
} as const

const DAY = 86_400_000
/** Data items of each copied resource when the catalog is scaled. */
const CATALOG_COPY_ITEMS = 50
const HISTORY_MS = 365 * DAY

/** Fills an empty, migrated database (with reference data) with the demo city, in one transaction. */
export async function generateDemo(db: Db, locator: RegionLocator, options: DemoOptions): Promise<DemoSummary> {
  const started = performance.now()
  const rng = new Random(options.seed)
  const now = options.now
  const iso = (t: number) => new Date(t).toISOString()
  const counts = { departments: 0, systems: 0, resources: 0, items: 0, updates: 0, features: 0 }
  const featureJobs: { resourceId: number; spec: DemoFeatureSpec; lastUpdate: number; rng: Random }[] = []
  // The content is written for 渝北区; another district's demo names its own departments and systems.
  // (Random draws follow the authored names, so every district's demo has the same shape.)
  const district = options.district ?? FOCUS_DISTRICT
  const stem = district.name.replace(/[区县]$/, '')
  const local = (text: string) => (district.code === FOCUS_DISTRICT.code ? text : text.replaceAll('渝北区', district.name).replaceAll('渝北', stem))

  await inTransaction(db, async (trx) => {
    // Parents one by one (their ids are needed), items and update history in multi-row statements at the end.
    const items: Insertable<DataItemsTable>[] = []
    const updates: Insertable<ResourceUpdatesTable>[] = []
    const id = async (inserted: Promise<{ id: number }>) => (await inserted).id
    const roundId = await id(trx.insertInto('survey_rounds').values({
      title: local(YUBEI_2022_ROUND.title), systems_deadline: YUBEI_2022_ROUND.systemsDeadline, resources_deadline: YUBEI_2022_ROUND.resourcesDeadline, created_at: '2022-03-17T01:00:00.000Z',
    }).returning('id').executeTakeFirstOrThrow())
    for (const [di, dept] of DEMO_DEPARTMENTS.entries()) {
      const drng = rng.fork(dept.name)
      const deptId = await id(trx.insertInto('departments').values({ name: local(dept.name), short_name: local(dept.shortName), sort_order: di, created_at: '2022-03-17T01:00:00.000Z' }).returning('id').executeTakeFirstOrThrow())
      counts.departments++
      const { systemsAt, resourcesAt } = reportTimes(dept, drng)
      await trx.insertInto('survey_round_departments').values({
        round_id: roundId, department_id: deptId, no_systems: dept.reporting === 'no-systems' ? 1 : 0, systems_reported_at: systemsAt, resources_reported_at: resourcesAt,
      }).execute()
      for (const sys of dept.systems) {
        const sysId = await id(trx.insertInto('systems').values({
          department_id: deptId, name: local(sys.name), build_level: sys.buildLevel, builder: local(sys.builder), operator: local(sys.operator), deployment: sys.deployment,
          run_status: sys.runStatus, security_level: sys.securityLevel, shares_data: sys.sharesData ? 1 : 0, sharing_modes: JSON.stringify(sys.sharingModes),
          networks: JSON.stringify(sys.networks), reviewer: dept.reviewer, filler: dept.filler, phone: dept.phone, filled_at: systemsAt,
          created_at: systemsAt ?? iso(now.getTime()), updated_at: systemsAt ?? iso(now.getTime()),
        }).returning('id').executeTakeFirstOrThrow())
        counts.systems++
        const resource = (res: DemoResource, name: string) => trx.insertInto('resources').values({
          system_id: sysId, department_id: deptId, subcategory_code: res.subcategoryCode, name: local(name), provision_mode: res.provisionMode, update_cycle: res.updateCycle,
          subject_class: res.subjectClass, purpose: res.purpose, sharing_attribute: res.sharingAttribute, sensitivity: res.sensitivity,
          reviewer: dept.reviewer, filler: dept.filler, phone: dept.phone, filled_at: resourcesAt, last_updated_at: null,
          created_at: resourcesAt ?? iso(now.getTime()), updated_at: resourcesAt ?? iso(now.getTime()),
        }).returning('id').executeTakeFirstOrThrow()
        for (const res of sys.resources) {
          const rrng = drng.fork(`${sys.name}/${res.name}`)
          const resId = await id(resource(res, res.name))
          counts.resources++
          res.items.forEach(([name, type, length], ii) => items.push({ resource_id: resId, name, data_type: type, length, sort_order: ii }))
          counts.items += res.items.length
          const history = updateHistory(res, dept.diligence, now.getTime(), rrng)
          for (const u of history) updates.push({ resource_id: resId, updated_at: iso(u.at), record_count: u.records, source: u.source, note: u.note })
          counts.updates += history.length
          const lastUpdate = history.length ? history[history.length - 1]!.at : now.getTime() - HISTORY_MS
          for (let k = 1; k < (options.catalogScale ?? 1); k++) {
            const copyId = await id(resource(res, `${res.name}（扩展${k}）`))
            counts.resources++
            const names = [...res.items.map(([name]) => name)]
            for (let j = names.length; j < CATALOG_COPY_ITEMS; j++) names.push(`扩展字段${j + 1}`)
            names.forEach((name, ii) => {
              const spec = res.items[ii]
              items.push({ resource_id: copyId, name, data_type: spec?.[1] ?? 'C', length: spec?.[2] ?? 50, sort_order: ii })
            })
            counts.items += names.length
            if (history.length) {
              const u = history[history.length - 1]!
              updates.push({ resource_id: copyId, updated_at: iso(u.at), record_count: u.records, source: u.source, note: u.note })
              counts.updates++
            }
          }
          for (const spec of res.features ?? []) featureJobs.push({ resourceId: resId, spec, lastUpdate, rng: rrng.fork(spec.kind) })
        }
      }
    }
    await insertMany(trx, 'data_items', items)
    await insertMany(trx, 'resource_updates', updates)
    const demo = JSON.stringify({
      label: DEMO_LABEL, seed: options.seed, scale: options.scale, generatedAt: now.toISOString(),
      note: `${district.name}城市安全示例数据：部门、系统、数据资源、数据项、更新记录与空间要素均为合成数据，仅用于演示。`, district: district.code,
    })
    await trx.insertInto('meta').values({ key: 'demo', value: demo }).onConflict((oc) => oc.column('key').doUpdateSet({ value: demo })).execute()

    const towns = townCentres(locator, rng.fork('towns'))
    function* features(): Generator<NewFeature> {
      for (const job of featureJobs) {
        const n = Math.max(1, Math.round(job.spec.count * options.scale))
        for (let i = 0; i < n; i++) {
          const f = makeFeature(job.spec, job.resourceId, i + 1, job.lastUpdate, job.rng, locator, towns)
          yield { ...f, name: local(f.name) }
        }
      }
    }
    counts.features = await insertFeatureRows(trx, features(), locator)
  })
  await db.versions.refresh()
  return { ...counts, ms: Math.round(performance.now() - started) }
}

/** When a department handed in its two forms, according to its part in the story. */
function reportTimes(dept: DemoDepartment, rng: Random): { systemsAt: string | null; resourcesAt: string | null } {
  const sysDue = Date.parse(YUBEI_2022_ROUND.systemsDeadline)
  const resDue = Date.parse(YUBEI_2022_ROUND.resourcesDeadline)
  const at = (t: number) => new Date(Math.round(t / 60_000) * 60_000).toISOString()
  switch (dept.reporting) {
    case 'on-time':
      return { systemsAt: at(sysDue - rng.between(0.1, 3) * DAY), resourcesAt: at(resDue - rng.between(0.1, 6) * DAY) }
    case 'late':
      return { systemsAt: at(sysDue + rng.between(0.5, 4) * DAY), resourcesAt: at(resDue + rng.between(1, 9) * DAY) }
    case 'no-systems':
      return { systemsAt: at(sysDue - rng.between(0.5, 2) * DAY), resourcesAt: null }
    case 'not-started':
      return { systemsAt: null, resourcesAt: null }
  }
}

interface UpdateEvent { at: number; records: number; source: string; note: string }

/**
 * A year of real updates. A diligent department updates on its cycle with some jitter; a lax one
 * stops partway through the year (its resources end up overdue), and a few resources were never
 * updated at all. Very frequent cycles are logged as one synchronisation record per day.
 */
function updateHistory(res: DemoResource, diligence: number, now: number, rng: Random): UpdateEvent[] {
  const period = CYCLE_PERIOD_MS[res.updateCycle as UpdateCycle]
  const source = res.provisionMode === 'api' ? 'api' : res.provisionMode === 'database' ? 'sync' : 'import'
  const baseRecords = rng.int(200, 20_000)
  if (rng.chance(0.12 * (1 - diligence))) return []
  const events: UpdateEvent[] = []
  if (period === null) {
    const n = rng.int(1, 5)
    for (let i = 0; i < n; i++) events.push({ at: now - rng.between(5, 360) * DAY, records: baseRecords, source, note: '不定期更新' })
    return events.sort((a, b) => a.at - b.at)
  }
  const stopsAt = rng.chance(diligence) ? now : now - rng.between(0.1, 0.8) * HISTORY_MS
  const step = Math.max(period, DAY)
  let t = now - HISTORY_MS + rng.between(0, step)
  let records = baseRecords
  while (t <= stopsAt) {
    records += rng.int(0, Math.ceil(baseRecords / 50))
    events.push({ at: t, records, source, note: period < DAY ? '实时同步(按日汇总)' : '' })
    t += step * rng.between(0.85, 1.1)
  }
  // Real-time feeds of a diligent department report minutes ago; daily ones within the day.
  if (stopsAt === now && period < DAY) events.push({ at: now - rng.between(1, period / 60_000 * 0.7) * 60_000, records, source, note: '实时同步' })
  return events
}

const KM_LAT = 1 / 111.32
const kmLon = (lat: number) => 1 / (111.32 * Math.cos((lat * Math.PI) / 180))

/** Settlement centres inside the district, where most features cluster (town centres, new districts). */
function townCentres(locator: RegionLocator, rng: Random): Position[] {
  const focus = locator.focus
  if (!focus) throw new Error('the focus district is missing from the regions table')
  const [minX, minY, maxX, maxY] = focus.bbox
  const towns: Position[] = []
  // The urban south-west (新牌坊, 龙溪, 回兴, 两路, 空港) is denser than the rural north-east.
  while (towns.length < 24) {
    const urban = towns.length < 10
    const p: Position = urban
      ? [rng.between(minX, minX + (maxX - minX) * 0.45), rng.between(minY, minY + (maxY - minY) * 0.45)]
      : [rng.between(minX, maxX), rng.between(minY, maxY)]
    if (locator.inFocus(p)) towns.push(p)
  }
  return towns
}

function pointNear(rng: Random, locator: RegionLocator, towns: Position[], spreadKm: number): Position {
  const [minX, minY, maxX, maxY] = locator.focus!.bbox
  for (;;) {
    let p: Position
    if (rng.chance(0.75)) {
      const town = towns[Math.min(towns.length - 1, Math.floor(Math.abs(rng.normal()) * 6))]!
      p = [town[0] + rng.normal() * spreadKm * kmLon(town[1]), town[1] + rng.normal() * spreadKm * KM_LAT]
    } else {
      p = [rng.between(minX, maxX), rng.between(minY, maxY)]
    }
    if (locator.inFocus(p)) return [round6(p[0]), round6(p[1])]
  }
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6
}

function geometryFor(spec: DemoFeatureSpec, rng: Random, locator: RegionLocator, towns: Position[]): Geometry {
  for (;;) {
    const start = pointNear(rng, locator, towns, 2.5)
    if (spec.geometry === 'Point') return { type: 'Point', coordinates: start }
    if (spec.geometry === 'LineString') {
      const coords: Position[] = [start]
      let heading = rng.between(0, 2 * Math.PI)
      const n = rng.int(2, 7)
      for (let i = 0; i < n; i++) {
        heading += rng.normal() * 0.5
        const len = rng.between(0.08, 0.35)
        const last = coords[coords.length - 1]!
        coords.push([round6(last[0] + Math.cos(heading) * len * kmLon(last[1])), round6(last[1] + Math.sin(heading) * len * KM_LAT)])
      }
      if (coords.every((p) => locator.inFocus(p))) return { type: 'LineString', coordinates: coords }
      continue
    }
    const w = rng.between(0.04, 0.16) * kmLon(start[1])
    const h = rng.between(0.04, 0.16) * KM_LAT
    const ring: Position[] = [start, [start[0] + w, start[1]], [start[0] + w, start[1] + h], [start[0], start[1] + h], start]
      .map((p) => [round6(p[0]), round6(p[1])] as Position)
    if (ring.every((p) => locator.inFocus(p))) return { type: 'Polygon', coordinates: [ring] }
  }
}

const RISK_SHARES: [RiskLevel, number][] = [['red', 0.05], ['orange', 0.15], ['yellow', 0.35], ['blue', 0.45]]
const RISK_MEAN: Record<RiskLevel, number> = { red: 82, orange: 66, yellow: 48, blue: 28 }

function riskLevel(rng: Random): RiskLevel {
  let x = rng.next()
  for (const [level, share] of RISK_SHARES) {
    if (x < share) return level
    x -= share
  }
  return 'blue'
}

/** Scores 0–100 per indicator, centred on the level's typical score so a red feature shows why it is red. */
function indicatorsFor(level: RiskLevel, rng: Random): IndicatorBreakdown {
  const out: IndicatorBreakdown = {}
  for (const ind of RISK_INDICATORS) {
    out[ind.code] = Math.max(0, Math.min(100, Math.round(RISK_MEAN[level] + rng.normal() * 12)))
  }
  return out
}

function fillName(template: string, rng: Random, n: number): string {
  return template
    .replaceAll('{road}', rng.pick(DEMO_ROADS))
    .replaceAll('{community}', rng.pick(DEMO_COMMUNITIES))
    .replaceAll('{n}', String(n))
}

function makeFeature(spec: DemoFeatureSpec, resourceId: number, n: number, lastUpdate: number, rng: Random,
  locator: RegionLocator, towns: Position[]): NewFeature {
  const geometry = geometryFor(spec, rng, locator, towns)
  const level = spec.graded ? riskLevel(rng) : null
  const attributes: Record<string, string | number> = {}
  for (const [key, values] of Object.entries(spec.attributes ?? {})) attributes[key] = rng.pick(values)
  attributes['数据说明'] = DEMO_LABEL
  return {
    resourceId,
    kind: spec.kind,
    name: fillName(rng.pick(spec.names), rng, n),
    geometry,
    riskLevel: level,
    indicators: level ? indicatorsFor(level, rng) : null,
    impactRadiusM: spec.impactRadiusM ? Math.round(rng.between(spec.impactRadiusM[0], spec.impactRadiusM[1]) / 10) * 10 : null,
    capacity: spec.capacity ? rng.int(spec.capacity[0], spec.capacity[1]) : null,
    capacityUnit: spec.capacity ? (spec.capacityUnit ?? null) : null,
    attributes,
    updatedAt: new Date(lastUpdate - rng.between(0, 30) * DAY).toISOString(),
  }
}
