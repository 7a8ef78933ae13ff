import { spawn, spawnSync } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import Database from 'better-sqlite3'
import { totpCode } from '../../server/auth/two-factor.js'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Debian's Chromium, headless. --disable-gpu leaves WebGL without hardware, so SwiftShader (software
 * GL through ANGLE) draws the MapLibre canvas.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
]

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

/**
 * A browser context with the command centre's locale and time zone; given a server, it is signed in
 * there as the administrator (a session of the server's own kind, see adminSession).
 */
export async function newContext(browser: Browser, viewport = { width: 1920, height: 1080 }, signInTo?: RunningServer): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true })
  if (signInTo) await signInAsAdmin(context, signInTo)
  return context
}

/** Signs a browser context in as the administrator of a server (see adminSession). */
export async function signInAsAdmin(context: BrowserContext, server: RunningServer): Promise<void> {
  const { token } = adminSession(server)
  await context.addCookies([{ name: 'csa_session', value: token, url: server.url, httpOnly: true, sameSite: 'Strict' }])
}

/**
 * A session of the first administrator written straight into the server's database under its session
 * secret, exactly as a sign-in writes it. The administrator signs in with a one-time code, and each code
 * works once (a new one every 30 s): tests that are not about signing in start their sessions this way;
 * the sign-in itself is tested through the real endpoints and pages.
 */
export function adminSession(server: RunningServer): { token: string; cookie: string; csrf: string } {
  const token = randomBytes(32).toString('base64url')
  const csrf = randomBytes(24).toString('base64url')
  const db = new Database(server.databaseFile)
  try {
    db.pragma('busy_timeout = 5000')
    const userId = db.prepare(`SELECT id FROM users WHERE username_key = 'admin'`).pluck().get() as number
    const now = new Date()
    db.prepare(`INSERT INTO sessions (token_hash, kind, user_id, kiosk_id, csrf_token, created_at, last_seen_at, expires_at, address)
      VALUES (?, 'user', ?, NULL, ?, ?, ?, ?, '127.0.0.1')`)
      .run(createHmac('sha256', server.sessionSecret).update(token).digest('base64url'), userId, csrf, now.toISOString(), now.toISOString(),
        new Date(now.getTime() + 12 * 3_600_000).toISOString())
  } finally {
    db.close()
  }
  return { token, cookie: `csa_session=${token}`, csrf }
}

/** Headers of a fresh administrator session for state-changing calls from Node (cookie and CSRF token). */
export function adminHeaders(server: RunningServer): Record<string, string> {
  const { cookie, csrf } = adminSession(server)
  return { cookie, 'x-csrf-token': csrf }
}

const adminCookies = new WeakMap<RunningServer, string>()

/** GET an API path from Node as the administrator (one session per server), to compare the page with. */
export async function adminGet(server: RunningServer, path: string): Promise<Response> {
  let cookie = adminCookies.get(server)
  if (!cookie) {
    cookie = adminSession(server).cookie
    adminCookies.set(server, cookie)
  }
  return fetch(`${server.url}${path}`, { headers: { cookie } })
}

/**
 * Signs a browser context in through the real endpoints: the password, and for an account with
 * two-step verification the code of its authenticator key. Throws with the server's answer on failure.
 */
export async function signIn(context: BrowserContext, url: string, username: string, password: string, totpSecret?: string): Promise<void> {
  const res = await context.request.post(`${url}/api/auth/sign-in`, { data: { username, password }, headers: { origin: url } })
  if (res.status() === 202 && totpSecret) {
    const code = await context.request.post(`${url}/api/auth/sign-in/code`, { data: { code: await freshTotpCode(totpSecret) }, headers: { origin: url } })
    if (code.status() !== 200) throw new Error(`sign-in code of ${username} failed: ${code.status()} ${await code.text()}`)
    return
  }
  if (res.status() !== 200) throw new Error(`sign-in as ${username} failed: ${res.status()} ${await res.text()}`)
}

/** The newest time step used per authenticator key (the server accepts each code once). */
const usedSteps = new Map<string, number>()

/**
 * A code of an authenticator key that has not been used yet: the current one, or the next (the server
 * allows one step of drift), waiting for the next 30 s step when both are used.
 */
export async function freshTotpCode(secret: string): Promise<string> {
  const step = Math.floor(Date.now() / 30_000)
  const wanted = Math.max(step, (usedSteps.get(secret) ?? 0) + 1)
  if (wanted > step + 1) await new Promise((r) => setTimeout(r, (wanted - 1) * 30_000 - Date.now() + 500))
  usedSteps.set(secret, wanted)
  return totpCode(secret, new Date(wanted * 30_000 + 1000))
}

/**
 * Builds the web app once if it is missing (npm test builds it before the tests run). WEB_ROOT, as for
 * the server, points at another build directory.
 */
export function ensureBuilt(): void {
  const outDir = process.env.WEB_ROOT ?? 'dist/web'
  if (existsSync(resolve(REPO_ROOT, outDir, 'index.html'))) return
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir], { cwd: REPO_ROOT, stdio: 'inherit' })
  if (r.status !== 0) throw new Error('vite build failed')
}

export interface RunningServer {
  url: string
  databaseFile: string
  /** The first administrator's password (ADMIN_PASSWORD of this start; user name `admin`). */
  adminPassword: string
  /** The first administrator's authenticator key (enrolled at start unless `enrolAdmin: false`), or null. */
  adminTotpSecret: string | null
  /** SESSION_SECRET of this start (sessions written by adminSession are keyed with it). */
  sessionSecret: string
  output: () => string
  /** Sends the server a signal; resolves with its exit code once it has exited. */
  signal: (name: NodeJS.Signals) => Promise<number | null>
  stop: () => Promise<void>
}

/**
 * Starts the real server (`node --import tsx server/main.ts`) on a free port with a fresh SQLite file
 * in a temp directory, waits until /api/meta answers (the demo city is generated on first start), and
 * (unless `enrolAdmin: false`) enrols the first administrator's two-step verification as its first
 * sign-in demands; returns a handle that stops it and removes the directory.
 */
export async function startServer(options: { env?: Record<string, string>; timeoutMs?: number; enrolAdmin?: boolean } = {}): Promise<RunningServer> {
  ensureBuilt()
  const dir = mkdtempSync(join(tmpdir(), 'atlas-e2e-'))
  const databaseFile = join(dir, 'atlas.sqlite')
  const adminPassword = options.env?.ADMIN_PASSWORD ?? `e2e-${randomBytes(12).toString('base64url')}`
  const sessionSecret = options.env?.SESSION_SECRET ?? randomBytes(36).toString('base64url')
  let log = ''
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    // Port 0: the system gives the server a free port, which it prints (choosing one here and passing
    // it on would race with the servers of other test files starting at the same time).
    // The demo's sensor simulator is off unless a test asks for it: the other tests' screens stay still.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseFile, BASEMAP_DIR: join(dir, 'basemap'), ADMIN_PASSWORD: adminPassword, SESSION_SECRET: sessionSecret, SIMULATE: 'off', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const signal = async (name: NodeJS.Signals) => {
    child.kill(name)
    await exited
    return child.exitCode
  }

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
    rmSync(dir, { recursive: true, force: true })
  }

  const deadline = Date.now() + (options.timeoutMs ?? 90_000)
  let url = ''
  for (;;) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`server exited with ${child.exitCode}:\n${log}`)
    }
    url ||= /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1] ?? ''
    if (url) {
      try {
        const res = await fetch(`${url}/api/meta`)
        if (res.ok) break
      } catch {
        // Not answering yet.
      }
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`server did not answer /api/meta in time:\n${log}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  let adminTotpSecret: string | null = null
  if (options.enrolAdmin !== false) {
    try {
      adminTotpSecret = await enrolAdministrator(url, adminPassword)
    } catch (err) {
      await stop()
      throw err
    }
  }
  return { url, databaseFile, adminPassword, adminTotpSecret, sessionSecret, output: () => log, signal, stop }
}

/** The first administrator's first sign-in: password, then two-step verification as the server requires. */
async function enrolAdministrator(url: string, password: string): Promise<string> {
  const signedIn = await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })
  if (signedIn.status !== 200) throw new Error(`first sign-in as admin failed: ${signedIn.status} ${await signedIn.text()}`)
  const { csrfToken, required } = (await signedIn.json()) as { csrfToken: string; required: string | null }
  if (required !== 'enrol-two-factor') throw new Error(`the first administrator was not asked to enrol (required: ${required})`)
  const headers = { cookie: signedIn.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }
  const setup = await fetch(`${url}/api/auth/two-factor/setup`, { method: 'POST', headers })
  const { secret } = (await setup.json()) as { secret: string }
  const enabled = await fetch(`${url}/api/auth/two-factor/enable`, { method: 'POST', headers, body: JSON.stringify({ code: await freshTotpCode(secret) }) })
  if (enabled.status !== 200) throw new Error(`enrolling the administrator failed: ${enabled.status} ${await enabled.text()}`)
  return secret
}

/**
 * Renames the first red feature of a kind to a hostile name straight in the running server's database
 * (WAL lets a second connection write), so tests can check it shows as text; returns where it is.
 */
export function nameFeatureHostile(server: RunningServer, kind: string, name: string): { id: number; lon: number; lat: number } {
  const db = new Database(server.databaseFile)
  try {
    const row = db.prepare(`SELECT id, geometry FROM features WHERE kind = ? AND risk_level = 'red' ORDER BY id LIMIT 1`).get(kind) as { id: number; geometry: string }
    db.prepare(`UPDATE features SET name = ? WHERE id = ?`).run(name, row.id)
    const [lon, lat] = (JSON.parse(row.geometry) as { coordinates: [number, number] }).coordinates
    return { id: row.id, lon, lat }
  } finally {
    db.close()
  }
}

/** Centres the main map on a place at a zoom, waits until it is idle, and answers where the place is on the page. */
export async function pointOnMap(page: Page, place: { lon: number; lat: number }, zoom: number): Promise<{ x: number; y: number }> {
  return page.evaluate(async ({ lon, lat, zoom }) => {
    const map = (globalThis as any).__atlas['map:main']
    map.jumpTo({ center: [lon, lat], zoom })
    await new Promise((r) => map.once('idle', r))
    const p = map.project([lon, lat])
    const rect = map.getContainer().getBoundingClientRect()
    return { x: rect.left + p.x, y: rect.top + p.y }
  }, { lon: place.lon, lat: place.lat, zoom })
}

/** Collects the messages of any alert/confirm a page opens (an injected script would open one). */
export function collectDialogs(page: Page): string[] {
  const dialogs: string[] = []
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  return dialogs
}

/** Starts the real server and Chromium before a test file's tests and stops both after them. */
export function serverAndBrowser(options: Parameters<typeof startServer>[0] = {}): { server: RunningServer; browser: Browser } {
  const env = {} as { server: RunningServer; browser: Browser }
  beforeAll(async () => {
    ;[env.server, env.browser] = await Promise.all([startServer(options), launchBrowser()])
  })
  afterAll(async () => {
    await env.browser?.close()
    await env.server?.stop()
  })
  return env
}
