import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { after, before } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import Database from 'better-sqlite3'

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
 * there as the administrator (through the real sign-in endpoint, so the session cookie is the app's own).
 */
export async function newContext(browser: Browser, viewport = { width: 1920, height: 1080 }, signInTo?: RunningServer): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true })
  if (signInTo) await signIn(context, signInTo.url, 'admin', signInTo.adminPassword)
  return context
}

const adminCookies = new WeakMap<RunningServer, string>()

/** GET an API path from Node as the administrator (signed in once per server), to compare the page with. */
export async function adminGet(server: RunningServer, path: string): Promise<Response> {
  let cookie = adminCookies.get(server)
  if (!cookie) {
    const res = await fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: server.adminPassword }) })
    if (res.status !== 200) throw new Error(`sign-in as admin failed: ${res.status} ${await res.text()}`)
    cookie = res.headers.get('set-cookie')!.split(';')[0]!
    adminCookies.set(server, cookie)
  }
  return fetch(`${server.url}${path}`, { headers: { cookie } })
}

/** Signs a browser context in; throws with the server's answer when that fails. */
export async function signIn(context: BrowserContext, url: string, username: string, password: string): Promise<void> {
  const res = await context.request.post(`${url}/api/auth/sign-in`, { data: { username, password }, headers: { origin: url } })
  if (res.status() !== 200) throw new Error(`sign-in as ${username} failed: ${res.status()} ${await res.text()}`)
}

/** A port the OS says is free on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      const port = typeof address === 'object' && address ? address.port : 0
      srv.close(() => resolve(port))
    })
  })
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
  output: () => string
  stop: () => Promise<void>
}

/**
 * Starts the real server (`node --import tsx server/main.ts`) on a free port with a fresh SQLite file
 * in a temp directory, waits until /api/meta answers (the demo city is generated on first start),
 * and returns a handle that stops it and removes the directory.
 */
export async function startServer(options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunningServer> {
  ensureBuilt()
  const dir = mkdtempSync(join(tmpdir(), 'atlas-e2e-'))
  const databaseFile = join(dir, 'atlas.sqlite')
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const adminPassword = options.env?.ADMIN_PASSWORD ?? `e2e-${randomBytes(12).toString('base64url')}`
  let log = ''
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseFile, ADMIN_PASSWORD: adminPassword, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

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
  for (;;) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`server exited with ${child.exitCode}:\n${log}`)
    }
    try {
      const res = await fetch(`${url}/api/meta`)
      if (res.ok) break
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`server did not answer /api/meta in time:\n${log}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return { url, databaseFile, adminPassword, output: () => log, stop }
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
  before(async () => {
    ;[env.server, env.browser] = await Promise.all([startServer(options), launchBrowser()])
  })
  after(async () => {
    await env.browser?.close()
    await env.server?.stop()
  })
  return env
}
