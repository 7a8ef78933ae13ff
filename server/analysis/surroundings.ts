import type { Db } from '../db/connect.js'
import { distanceM, type Bbox, type Position } from '../geo/geometry.js'
import { featuresInBox, type NearbyRow } from './queries.js'

/** Kinds of emergency resource the surroundings list the nearest of. */
const EMERGENCY_TYPES = [
  { code: 'rescue-team', label: '救援队伍' },
  { code: 'supply-depot', label: '物资储备点' },
  { code: 'shelter', label: '应急避难场所' },
  { code: 'medical', label: '医疗救护点' },
  { code: 'fire-station', label: '消防站' },
] as const
export type EmergencyType = (typeof EMERGENCY_TYPES)[number]['code']

// The catalog has no sub-type column for emergency resources: the forms name them (救援队, 避难场所 …),
// so the feature's own name decides, and its resource's name when the feature name says nothing.
const TYPE_PATTERNS: [EmergencyType, RegExp][] = [
  ['shelter', /避难|避险|安置点/],
  ['fire-station', /消防站|消防救援站|消防中队/],
  // Before medical: 应急救援队 contains 急救.
  ['rescue-team', /救援队|抢险队|救护队|突击队|救援力量|驻守点/],
  ['medical', /医疗|救护点|急救站|急救中心|卫生/],
  ['supply-depot', /物资|储备|仓库/],
]

/** The emergency-resource sub-type of a feature from its name (or its resource's name), or null (e.g. expert units). */
export function emergencyTypeOf(featureName: string, resourceName = ''): EmergencyType | null {
  for (const text of [featureName, resourceName]) {
    for (const [type, re] of TYPE_PATTERNS) if (re.test(text)) return type
  }
  return null
}

const M_PER_DEG_LAT = 111_320
/** A box around a point reaching at least `radiusM` metres in every direction. */
function boxAround(p: Position, radiusM: number): Bbox {
  const dy = radiusM / M_PER_DEG_LAT
  const dx = radiusM / (M_PER_DEG_LAT * Math.max(0.01, Math.cos((p[1] * Math.PI) / 180)))
  return [p[0] - dx, p[1] - dy, p[0] + dx, p[1] + dy]
}

function located(r: NearbyRow, centre: Position) {
  const at: Position = [r.x, r.y]
  return { at, distanceM: Math.round(distanceM(centre, at)) }
}

/** Where the nearest search stops growing: beyond this nothing counts as "near". */
const MAX_NEAREST_M = 64_000
const FIRST_NEAREST_M = 1_000

/**
 * What surrounds a point: protection targets within `radiusM`, the nearest emergency resource of each
 * sub-type (an R*Tree box that doubles until every type is found within the box's inscribed circle, so
 * the answer is exact, or the box reaches MAX_NEAREST_M), and the shelters within `reachM` with their capacity.
 */
export async function surroundings(db: Db, centre: Position, radiusM: number, reachM: number, resourceName: (id: number) => string,
  visible: (resourceId: number) => boolean, nearestPerType = 3) {
  // Features of resources the viewer may not see are not there for them, not even as a distance.
  const inBox = async (kind: 'protection-target' | 'emergency-resource', box: ReturnType<typeof boxAround>) =>
    (await featuresInBox(db, kind, box)).filter((r) => visible(r.resource_id))
  const targetRows = await inBox('protection-target', boxAround(centre, radiusM))
  const targets = targetRows.map((r) => ({ id: r.id, name: r.name, ...located(r, centre) }))
    .filter((t) => t.distanceM <= radiusM)
    .sort((a, b) => a.distanceM - b.distanceM || a.id - b.id)

  const nearest = new Map<EmergencyType, { id: number; name: string; at: Position; distanceM: number; capacity: number | null; capacityUnit: string | null }[]>()
  let searched = 0
  for (let r = FIRST_NEAREST_M; ; r *= 2) {
    const reach = Math.min(r, MAX_NEAREST_M)
    const rows = await inBox('emergency-resource', boxAround(centre, reach))
    nearest.clear()
    for (const row of rows) {
      const type = emergencyTypeOf(row.name, resourceName(row.resource_id))
      if (!type) continue
      const where = located(row, centre)
      // Only what lies within the inscribed circle is certain to be nearer than anything outside the box.
      if (where.distanceM > reach) continue
      const list = nearest.get(type) ?? []
      list.push({ id: row.id, name: row.name, ...where, capacity: row.capacity, capacityUnit: row.capacity_unit })
      nearest.set(type, list)
    }
    searched = reach
    const complete = [...nearest.values()].filter((l) => l.length >= nearestPerType).length === EMERGENCY_TYPES.length
    if (complete || reach >= MAX_NEAREST_M) break
  }
  const emergency = EMERGENCY_TYPES.map((t) => ({
    type: t.code, label: t.label,
    nearest: (nearest.get(t.code) ?? []).sort((a, b) => a.distanceM - b.distanceM || a.id - b.id).slice(0, nearestPerType),
  }))

  const shelterRows = await inBox('emergency-resource', boxAround(centre, reachM))
  const shelters = shelterRows.filter((r) => emergencyTypeOf(r.name, resourceName(r.resource_id)) === 'shelter')
    .map((r) => ({ id: r.id, name: r.name, ...located(r, centre), capacity: r.capacity, capacityUnit: r.capacity_unit }))
    .filter((s) => s.distanceM <= reachM)
    .sort((a, b) => a.distanceM - b.distanceM || a.id - b.id)
  return {
    centre, radiusM, reachM, searchedM: searched,
    targets,
    emergency,
    shelters: { count: shelters.length, capacity: shelters.reduce((n, s) => n + (s.capacity ?? 0), 0), nearest: shelters.slice(0, 10) },
  }
}
