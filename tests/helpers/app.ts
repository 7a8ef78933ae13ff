import { createHmac, randomBytes } from 'node:crypto'
import { createApp } from '../../server/app.js'
import type { Role } from '../../server/domain/enums.js'
import { ABSOLUTE_TIMEOUT_MS } from '../../server/domain/access.js'
import { openSqlite, type Db } from '../../server/db/connect.js'
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
export function createSession(db: Db, o: { role: Role; departmentId?: number | null; clearances?: number[]; username?: string }, now = TEST_NOW, secret = TEST_SECRET): TestSession {
  const at = now.toISOString()
  const username = o.username ?? `${o.role}-${o.departmentId ?? 'none'}-${randomBytes(3).toString('hex')}`
  const userId = Number(db.sqlite.prepare(`INSERT INTO users (username, username_key, display_name, role, department_id, password_hash, password_changed_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, 'none', ?, ?, ?)`).run(username, username.toLowerCase(), username, o.role, o.departmentId ?? null, at, at, at).lastInsertRowid)
  for (const d of o.clearances ?? []) db.sqlite.prepare(`INSERT INTO user_clearances (user_id, department_id) VALUES (?, ?)`).run(userId, d)
  if (o.role === 'admin') {
    db.sqlite.prepare(`INSERT INTO user_two_factor (user_id, secret, enabled_at, last_step, created_at) VALUES (?, ?, ?, 0, ?)`).run(userId, newTotpSecret(), at, at)
  }
  const token = randomBytes(32).toString('base64url')
  const csrf = randomBytes(24).toString('base64url')
  db.sqlite.prepare(`INSERT INTO sessions (token_hash, kind, user_id, kiosk_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, 'user', ?, NULL, ?, ?, ?, ?)`)
    .run(createHmac('sha256', secret).update(token).digest('base64url'), userId, csrf, at, at, new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS).toISOString())
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
 * A fresh migrated in-memory database with reference data, and the app over it. `app` requests as an
 * administrator (who sees and may do everything), so tests of the catalog need not sign in; `raw` is the
 * app with no session, and `as` requests as any other session.
 */
export async function testApp(options: { now?: () => Date; sleep?: (ms: number) => Promise<void>; passwordMaxAgeDays?: number } = {}) {
  const db = openSqlite(':memory:')
  await prepareDatabase(db)
  // Failed sign-ins delay later ones (a timer); by default tests only record the delays asked for.
  const slept: number[] = []
  const sleep = options.sleep ?? (async (ms: number) => void slept.push(ms))
  const raw = createApp({ db, now: options.now ?? (() => TEST_NOW), sessionSecret: TEST_SECRET, sleep, passwordMaxAgeDays: options.passwordMaxAgeDays })
  const admin = createSession(db, { role: 'admin', username: 'test-admin' })
  const app = requester(raw, admin)
  const locator = RegionLocator.load(db)
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

  department(name: string, shortName = name.replace('渝北区', '区')): number {
    const n = (this.db.sqlite.prepare(`SELECT count(*) n FROM departments`).get() as { n: number }).n
    return Number(this.db.sqlite.prepare(`INSERT INTO departments (name, short_name, sort_order, created_at) VALUES (?, ?, ?, ?)`)
      .run(name, shortName, n, TEST_NOW.toISOString()).lastInsertRowid)
  }

  system(departmentId: number, name: string, o: Partial<{ buildLevel: string; sharesData: boolean; sharingModes: string[]; networks: string[] }> = {}): number {
    return Number(this.db.sqlite.prepare(`INSERT INTO systems (department_id, name, build_level, builder, operator, deployment, run_status,
      security_level, shares_data, sharing_modes, networks, reviewer, filler, phone, filled_at, created_at, updated_at)
      VALUES (?, ?, ?, '建设单位', '管理单位', 'gov-cloud', 'maintained', 'level3', ?, ?, ?, '审核人', '填报人', '023-67810000', NULL, ?, ?)`)
      .run(departmentId, name, o.buildLevel ?? 'district', o.sharesData === false ? 0 : 1, JSON.stringify(o.sharingModes ?? ['api']),
        JSON.stringify(o.networks ?? ['gov-extranet']), TEST_NOW.toISOString(), TEST_NOW.toISOString()).lastInsertRowid)
  }

  resource(systemId: number, name: string, o: Partial<{ subcategory: string; provisionMode: string; updateCycle: string; purpose: string;
    sensitivity: string; sharingAttribute: string }> = {}): number {
    const dept = (this.db.sqlite.prepare(`SELECT department_id d FROM systems WHERE id = ?`).get(systemId) as { d: number }).d
    return Number(this.db.sqlite.prepare(`INSERT INTO resources (system_id, department_id, subcategory_code, name, provision_mode, update_cycle,
      subject_class, purpose, sharing_attribute, sensitivity, filler, phone, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, 'thing', ?, ?, ?, '填报人', '023-67810000', ?, ?)`)
      .run(systemId, dept, o.subcategory ?? 'gas', name, o.provisionMode ?? 'database', o.updateCycle ?? 'monthly', o.purpose ?? 'basic',
        o.sharingAttribute ?? 'conditional', o.sensitivity ?? 'internal', TEST_NOW.toISOString(), TEST_NOW.toISOString()).lastInsertRowid)
  }

  items(resourceId: number, names: string[]): void {
    const st = this.db.sqlite.prepare(`INSERT INTO data_items (resource_id, name, data_type, length, sort_order) VALUES (?, ?, 'C', 50, ?)`)
    names.forEach((n, i) => st.run(resourceId, n, i))
  }

  update(resourceId: number, at: string, records = 100): void {
    this.db.sqlite.prepare(`INSERT INTO resource_updates (resource_id, updated_at, record_count, source, note) VALUES (?, ?, ?, 'sync', '')`)
      .run(resourceId, at, records)
  }

  features(list: NewFeature[]): void {
    insertFeatures(this.db, list, this.locator)
  }

  round(departmentIds: number[], reports: Record<number, { noSystems?: boolean; systemsAt?: string; resourcesAt?: string }>): number {
    const id = Number(this.db.sqlite.prepare(`INSERT INTO survey_rounds (title, systems_deadline, resources_deadline, created_at) VALUES (?, ?, ?, ?)`)
      .run('测试批次', '2026-03-21T04:00:00.000Z', '2026-03-29T10:00:00.000Z', TEST_NOW.toISOString()).lastInsertRowid)
    for (const d of departmentIds) {
      const r = reports[d] ?? {}
      this.db.sqlite.prepare(`INSERT INTO survey_round_departments (round_id, department_id, no_systems, systems_reported_at, resources_reported_at) VALUES (?, ?, ?, ?, ?)`)
        .run(id, d, r.noSystems ? 1 : 0, r.systemsAt ?? null, r.resourcesAt ?? null)
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
  const emergency = fx.department('渝北区应急局')
  const city = fx.department('渝北区城市管理局')
  const ndrc = fx.department('渝北区发展改革委')
  const weather = fx.department('渝北区气象局')
  const chemSys = fx.system(emergency, '危化品监管系统')
  const gasSys = fx.system(city, '燃气监管平台', { sharingModes: ['file'] })
  const chem = fx.resource(chemSys, '危险化学品企业基础信息', { subcategory: 'hazardous-chemicals', updateCycle: 'monthly' })
  fx.items(chem, ['企业名称', '统一社会信用代码', '联系电话'])
  fx.update(chem, daysAgo(40))
  fx.update(chem, daysAgo(10), 250)
  const chemLive = fx.resource(chemSys, '危险源实时监测', { subcategory: 'hazard-source', updateCycle: 'realtime', purpose: 'monitoring', provisionMode: 'api' })
  fx.items(chemLive, ['监测值', '采集时间'])
  fx.update(chemLive, new Date(TEST_NOW.getTime() - 2 * 3600_000).toISOString())
  const gas = fx.resource(gasSys, '燃气管网基础信息', { subcategory: 'gas', updateCycle: 'quarterly', sensitivity: 'public' })
  fx.items(gas, ['管径', '材质'])
  const gasAlarm = fx.resource(gasSys, '燃气泄漏报警记录', { subcategory: 'gas', updateCycle: 'irregular', provisionMode: 'file', purpose: 'monitoring' })
  fx.features([
    { resourceId: chem, kind: 'hazard-source', name: '某化工仓库', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'red',
      indicators: { exposure: 90 }, impactRadiusM: 800, updatedAt: daysAgo(10) },
    { resourceId: chem, kind: 'hazard-source', name: '某加油站', geometry: { type: 'Point', coordinates: YUBEI_B }, riskLevel: 'yellow', updatedAt: daysAgo(10) },
    { resourceId: chemLive, kind: 'monitoring-point', name: '可燃气体探测器1号', geometry: { type: 'Point', coordinates: YUBEI_FAR }, updatedAt: daysAgo(1) },
    { resourceId: gas, kind: 'pipeline', name: '金开大道中压燃气管', geometry: { type: 'LineString', coordinates: [YUBEI_A, YUBEI_B] }, updatedAt: daysAgo(100) },
    { resourceId: gas, kind: 'facility', name: '外区调压站', geometry: { type: 'Point', coordinates: OUTSIDE_YUBEI }, capacity: 50, updatedAt: daysAgo(100) },
  ])
  fx.round([emergency, city, ndrc, weather], {
    [emergency]: { systemsAt: '2026-03-20T02:00:00.000Z', resourcesAt: '2026-03-28T02:00:00.000Z' },
    [city]: { systemsAt: '2026-03-20T02:00:00.000Z', resourcesAt: '2026-04-02T02:00:00.000Z' },
    [ndrc]: { noSystems: true, systemsAt: '2026-03-19T02:00:00.000Z' },
  })
  return { ...t, fx, ids: { emergency, city, ndrc, weather, chemSys, gasSys, chem, chemLive, gas, gasAlarm } }
}
