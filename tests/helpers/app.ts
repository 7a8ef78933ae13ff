import { createHmac, randomBytes } from 'node:crypto'
import { createApp } from '../../server/app.js'
import type { AppDeps } from '../../server/db/deps.js'
import type { Role } from '../../server/domain/enums.js'
import { ABSOLUTE_TIMEOUT_MS } from '../../server/domain/access.js'
import type { Db } from '../../server/db/connect.js'
import { freshDatabase, newDatabaseUrl } from './database.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../server/db/connect.js'
import { prepareDatabase } from '../../server/prepare.js'
import { RegionLocator } from '../../server/geo/regions.js'
import { insertFeatures, type NewFeature } from '../../server/features/queries.js'
import { newTotpSecret } from '../../server/auth/two-factor.js'

/** The fixed "now" of server tests: 2026-06-15 12:00 Asia/Shanghai. */
export const TEST_NOW = new Date('2026-06-15T04:00:00.000Z')
const DAY = 86_400_000
export const daysAgo = (d: number) => new Date(TEST_NOW.getTime() - d * DAY).toISOString()

/** The session secret of server tests. */
export const TEST_SECRET = 'test-session-secret-0123456789abcdef0123456789'

/** A signed-in session made directly in the database (no scrypt per test): its cookie and CSRF token. */
export interface TestSession {
  userId: number
  cookie: string
  csrf: string
}

/**
 * Creates a user (password sign-in is tested on its own) with a live session. Administrators must sign
 * in with a second factor, so an administrator gets an enrolled authenticator key too (otherwise the
 * session could do nothing but enrol).
 */
export async function createSession(db: Db, o: { role: Role; departmentId?: number | null; clearances?: number[]; username?: string }, now = TEST_NOW, secret = TEST_SECRET): Promise<TestSession> {
  const at = now.toISOString()
  const username = o.username ?? `${o.role}-${o.departmentId ?? 'none'}-${randomBytes(3).toString('hex')}`
  const k = db.kysely
  const { id: userId } = await k.insertInto('users').values({
    username, username_key: username.toLowerCase(), display_name: username, role: o.role, department_id: o.departmentId ?? null,
    password_hash: 'none', password_changed_at: at, created_at: at, updated_at: at,
  }).returning('id').executeTakeFirstOrThrow()
  for (const d of o.clearances ?? []) await k.insertInto('user_clearances').values({ user_id: userId, department_id: d }).execute()
  if (o.role === 'admin') {
    await k.insertInto('user_two_factor').values({ user_id: userId, secret: newTotpSecret(), enabled_at: at, last_step: 0, created_at: at }).execute()
  }
  const token = randomBytes(32).toString('base64url')
  const csrf = randomBytes(24).toString('base64url')
  await k.insertInto('sessions').values({
    token_hash: createHmac('sha256', secret).update(token).digest('base64url'), kind: 'user', user_id: userId, kiosk_id: null, csrf_token: csrf,
    created_at: at, last_seen_at: at, expires_at: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS).toISOString(),
  }).execute()
  return { userId, cookie: `csa_session=${token}`, csrf }
}

type Requester = { request: (path: string, init?: RequestInit) => Promise<Response> }

/** Requests as a session (its cookie, and its CSRF token on state-changing requests), or as nobody. */
export function requester(app: ReturnType<typeof createApp>, session: TestSession | null): Requester {
  return {
    request: async (path, init = {}) => {
      const headers = new Headers(init.headers)
      if (session && !headers.has('cookie')) {
        headers.set('cookie', session.cookie)
        if (init.method && !['GET', 'HEAD'].includes(init.method.toUpperCase()) && !headers.has('x-csrf-token')) headers.set('x-csrf-token', session.csrf)
      }
      return app.request(path, { ...init, headers })
    },
  }
}

/**
 * A fresh migrated database with reference data (in memory, or on PostgreSQL in that test project), and the app over it. `app` requests as an
 * administrator (who sees and may do everything), so tests of the catalog need not sign in; `raw` is the
 * app with no session, and `as` requests as any other session.
 */
export async function testApp(options: { now?: () => Date; sleep?: (ms: number) => Promise<void>; passwordMaxAgeDays?: number; basemapDir?: string } = {}) {
  const db = await freshDatabase()
  // Failed sign-ins delay later ones (a timer); by default tests only record the delays asked for.
  const slept: number[] = []
  const sleep = options.sleep ?? (async (ms: number) => void slept.push(ms))
  const raw = createApp({ db, now: options.now ?? (() => TEST_NOW), sessionSecret: TEST_SECRET, sleep, passwordMaxAgeDays: options.passwordMaxAgeDays, basemapDir: options.basemapDir })
  const admin = await createSession(db, { role: 'admin', username: 'test-admin' })
  const app = requester(raw, admin)
  const locator = await RegionLocator.load(db)
  return {
    db,
    app,
    raw,
    admin,
    /** The sign-in delays asked for (unless the test passed its own `sleep`). */
    slept,
    locator,
    as: (session: TestSession | null) => requester(raw, session),
    async get<T = any>(path: string): Promise<{ status: number; body: T; headers: Headers }> {
      const res = await app.request(path)
      const text = await res.text()
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers }
    },
  }
}

/** Inserts rows with plain SQL (the forms import is the product's own way in; tests build exact cases). */
export class Fixture {
  constructor(private readonly db: Db, private readonly locator: RegionLocator) {}

  /** Written behind the app's back: on PostgreSQL the app's data versions are read again now, as a notification would. */
  private async changed<T>(value: T): Promise<T> {
    await this.db.versions.refresh()
    return value
  }

  async department(name: string, shortName = name.replace('渝北区', '区')): Promise<number> {
    const k = this.db.kysely
    const { n } = await k.selectFrom('departments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const row = await k.insertInto('departments').values({ name, short_name: shortName, sort_order: Number(n), created_at: TEST_NOW.toISOString() })
      .returning('id').executeTakeFirstOrThrow()
    return this.changed(row.id)
  }

  async system(departmentId: number, name: string, o: Partial<{ buildLevel: string; sharesData: boolean; sharingModes: string[]; networks: string[] }> = {}): Promise<number> {
    const at = TEST_NOW.toISOString()
    const row = await this.db.kysely.insertInto('systems').values({
      department_id: departmentId, name, build_level: o.buildLevel ?? 'district', builder: '建设单位', operator: '管理单位', deployment: 'gov-cloud',
      run_status: 'maintained', security_level: 'level3', shares_data: o.sharesData === false ? 0 : 1, sharing_modes: JSON.stringify(o.sharingModes ?? ['api']),
      networks: JSON.stringify(o.networks ?? ['gov-extranet']), reviewer: '审核人', filler: '填报人', phone: '023-67810000', filled_at: null, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow()
    return this.changed(row.id)
  }

  async resource(systemId: number, name: string, o: Partial<{ subcategory: string; provisionMode: string; updateCycle: string; purpose: string;
    sensitivity: string; sharingAttribute: string }> = {}): Promise<number> {
    const k = this.db.kysely
    const { department_id } = await k.selectFrom('systems').select('department_id').where('id', '=', systemId).executeTakeFirstOrThrow()
    const at = TEST_NOW.toISOString()
    const row = await k.insertInto('resources').values({
      system_id: systemId, department_id, subcategory_code: o.subcategory ?? 'gas', name, provision_mode: o.provisionMode ?? 'database',
      update_cycle: o.updateCycle ?? 'monthly', subject_class: 'thing', purpose: o.purpose ?? 'basic', sharing_attribute: o.sharingAttribute ?? 'conditional',
      sensitivity: o.sensitivity ?? 'internal', reviewer: '', filler: '填报人', phone: '023-67810000', filled_at: null, last_updated_at: null, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow()
    return this.changed(row.id)
  }

  async items(resourceId: number, names: string[]): Promise<void> {
    if (!names.length) return
    await this.db.kysely.insertInto('data_items')
      .values(names.map((name, i) => ({ resource_id: resourceId, name, data_type: 'C', length: 50, sort_order: i }))).execute()
    await this.changed(null)
  }

  async update(resourceId: number, at: string, records = 100): Promise<void> {
    await this.db.kysely.insertInto('resource_updates').values({ resource_id: resourceId, updated_at: at, record_count: records, source: 'sync', note: '' }).execute()
    await this.changed(null)
  }

  async features(list: NewFeature[]): Promise<void> {
    await insertFeatures(this.db, list, this.locator)
    await this.changed(null)
  }

  async round(departmentIds: number[], reports: Record<number, { noSystems?: boolean; systemsAt?: string; resourcesAt?: string }>): Promise<number> {
    const k = this.db.kysely
    const { id } = await k.insertInto('survey_rounds').values({
      title: '测试批次', systems_deadline: '2026-03-21T04:00:00.000Z', resources_deadline: '2026-03-29T10:00:00.000Z', created_at: TEST_NOW.toISOString(),
    }).returning('id').executeTakeFirstOrThrow()
    for (const d of departmentIds) {
      const r = reports[d] ?? {}
      await k.insertInto('survey_round_departments').values({
        round_id: id, department_id: d, no_systems: r.noSystems ? 1 : 0, systems_reported_at: r.systemsAt ?? null, resources_reported_at: r.resourcesAt ?? null,
      }).execute()
    }
    return id
  }
}

/** Points well inside Yubei (a town centre and two nearby places), and one in another district. */
export const YUBEI_A: [number, number] = [106.63, 29.72]
export const YUBEI_B: [number, number] = [106.64, 29.73]
export const YUBEI_FAR: [number, number] = [106.85, 29.95]
export const OUTSIDE_YUBEI: [number, number] = [106.30, 29.30]

/**
 * A small catalog with known answers:
 * - 渝北区应急局: 危化品监管系统 → 危险化学品企业基础信息 (monthly, updated 10 days ago: on time; 3 items)
 *   and 危险源实时监测 (realtime, last update 2 hours ago: overdue; monitoring)
 * - 渝北区城市管理局: 燃气监管平台 → 燃气管网基础信息 (quarterly, never updated; 2 items; public)
 *   and 燃气泄漏报警记录 (irregular: not judged; file)
 * - 渝北区发展改革委: reported no systems. 渝北区气象局: not reported.
 */
export async function smallCatalog() {
  const t = await testApp()
  const fx = new Fixture(t.db, t.locator)
  const emergency = await fx.department('渝北区应急局')
  const city = await fx.department('渝北区城市管理局')
  const ndrc = await fx.department('渝北区发展改革委')
  const weather = await fx.department('渝北区气象局')
  const chemSys = await fx.system(emergency, '危化品监管系统')
  const gasSys = await fx.system(city, '燃气监管平台', { sharingModes: ['file'] })
  const chem = await fx.resource(chemSys, '危险化学品企业基础信息', { subcategory: 'hazardous-chemicals', updateCycle: 'monthly' })
  await fx.items(chem, ['企业名称', '统一社会信用代码', '联系电话'])
  await fx.update(chem, daysAgo(40))
  await fx.update(chem, daysAgo(10), 250)
  const chemLive = await fx.resource(chemSys, '危险源实时监测', { subcategory: 'hazard-source', updateCycle: 'realtime', purpose: 'monitoring', provisionMode: 'api' })
  await fx.items(chemLive, ['监测值', '采集时间'])
  await fx.update(chemLive, new Date(TEST_NOW.getTime() - 2 * 3600_000).toISOString())
  const gas = await fx.resource(gasSys, '燃气管网基础信息', { subcategory: 'gas', updateCycle: 'quarterly', sensitivity: 'public' })
  await fx.items(gas, ['管径', '材质'])
  const gasAlarm = await fx.resource(gasSys, '燃气泄漏报警记录', { subcategory: 'gas', updateCycle: 'irregular', provisionMode: 'file', purpose: 'monitoring' })
  await fx.features([
    { resourceId: chem, kind: 'hazard-source', name: '某化工仓库', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'red',
      indicators: { exposure: 90 }, impactRadiusM: 800, updatedAt: daysAgo(10) },
    { resourceId: chem, kind: 'hazard-source', name: '某加油站', geometry: { type: 'Point', coordinates: YUBEI_B }, riskLevel: 'yellow', updatedAt: daysAgo(10) },
    { resourceId: chemLive, kind: 'monitoring-point', name: '可燃气体探测器1号', geometry: { type: 'Point', coordinates: YUBEI_FAR }, updatedAt: daysAgo(1) },
    { resourceId: gas, kind: 'pipeline', name: '金开大道中压燃气管', geometry: { type: 'LineString', coordinates: [YUBEI_A, YUBEI_B] }, updatedAt: daysAgo(100) },
    { resourceId: gas, kind: 'facility', name: '外区调压站', geometry: { type: 'Point', coordinates: OUTSIDE_YUBEI }, capacity: 50, updatedAt: daysAgo(100) },
  ])
  await fx.round([emergency, city, ndrc, weather], {
    [emergency]: { systemsAt: '2026-03-20T02:00:00.000Z', resourcesAt: '2026-03-28T02:00:00.000Z' },
    [city]: { systemsAt: '2026-03-20T02:00:00.000Z', resourcesAt: '2026-04-02T02:00:00.000Z' },
    [ndrc]: { noSystems: true, systemsAt: '2026-03-19T02:00:00.000Z' },
  })
  return { ...t, fx, ids: { emergency, city, ndrc, weather, chemSys, gasSys, chem, chemLive, gas, gasAlarm } }
}

/** The x/y at zoom z of the tile holding a lon/lat. */
export function tileOf([lon, lat]: [number, number], z: number): [number, number] {
  const n = 2 ** z
  const r = (lat * Math.PI) / 180
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)]
}

/** The names of the features drawn in the tile holding a lon/lat at zoom z, sorted (a tile not served throws). */
export async function tileNames(app: Requester, at: [number, number], z: number): Promise<string[]> {
  const [x, y] = tileOf(at, z)
  const res = await app.request(`/api/tiles/${z}/${x}/${y}.mvt`, { headers: { 'accept-encoding': 'gzip' } })
  if (res.status !== 200) throw new Error(`tile ${z}/${x}/${y} → ${res.status}`)
  const tile = new VectorTile(new PbfReader(gunzipSync(Buffer.from(await res.arrayBuffer()))))
  return Object.values(tile.layers).flatMap((l) => Array.from({ length: l.length }, (_, i) => String(l.feature(i).properties.name ?? ''))).sort()
}

/**
 * A database a worker thread can open too (a file, or a PostgreSQL database in that test project), the
 * app over it, an administrator requesting, and a fixture; removed afterwards.
 */
export async function onOwnDatabase(run: (t: { db: Db; app: Requester; fx: Fixture }) => Promise<void>, deps: Partial<AppDeps> = {}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-own-'))
  const databaseUrl = await newDatabaseUrl(dir)
  const db = openDatabase(databaseUrl)
  try {
    await prepareDatabase(db)
    const fx = new Fixture(db, await RegionLocator.load(db))
    const app = requester(createApp({ db, now: () => TEST_NOW, sessionSecret: TEST_SECRET, databaseUrl, ...deps }), await createSession(db, { role: 'admin' }))
    await run({ db, app, fx })
  } finally {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
