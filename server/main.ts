import { serve } from '@hono/node-server'
import { sql } from 'kysely'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { createApp } from './app.js'
import { loadConfig } from './config.js'
import { isPostgresUrl, openDatabase } from './db/connect.js'
import { prepareDatabase } from './prepare.js'
import { RegionLocator } from './geo/regions.js'
import { DEFAULT_SEED, generateDemo } from './demo/generate.js'
import { ensureAdministrator } from './auth/bootstrap.js'
import { ownConnectionUrl, type AppDeps } from './db/deps.js'
import { harvesterFor } from './harvest/runner.js'
import { scheduleSweeps, type MonitoringSchedule } from './monitoring/sweeps.js'
import { startMqttIntake, type MqttIntake } from './monitoring/mqtt.js'
import { startSimulator, type Simulator } from './monitoring/simulator.js'
import { liveHubOf } from './monitoring/live.js'

async function main(): Promise<void> {
  const started = performance.now()
  const config = loadConfig()
  if (config.databaseFile && config.databaseFile !== ':memory:') mkdirSync(dirname(config.databaseFile), { recursive: true })
  const db = openDatabase(config.databaseUrl, { readUrl: config.databaseReadUrl, poolSize: config.databasePoolSize })
  try {
    await sql`SELECT 1`.execute(db.kysely)
  } catch (err) {
    throw new Error(`cannot connect to the database ${databaseLabel(config.databaseUrl)}: ${err instanceof Error ? err.message : err}` +
      (isPostgresUrl(config.databaseUrl) ? ' (see "On PostgreSQL + PostGIS" in README.md)' : ''))
  }
  await prepareDatabase(db, config.district)

  const empty = !(await db.kysely.selectFrom('departments').select('id').limit(1).executeTakeFirst())
  // A city atlas starts empty: it gathers its districts (README: "A city over its districts").
  if (empty && config.demo === 'auto' && config.role === 'district') {
    console.log(`empty database: generating the demo city (示例数据, scale ${config.demoScale}) …`)
    const s = await generateDemo(db, await RegionLocator.load(db), { scale: config.demoScale, seed: config.demoSeed ?? DEFAULT_SEED, now: new Date(), district: config.district })
    console.log(`demo city ready in ${(s.ms / 1000).toFixed(1)} s: ${s.departments} departments, ${s.systems} systems, ` +
      `${s.resources} resources, ${s.items} items, ${s.updates} updates, ${s.features} features`)
  }

  const admin = await ensureAdministrator(db, config.adminPassword, new Date())
  if (admin?.generated) {
    console.log([
      'first start: created the administrator account (shown only this once)',
      `  user name: ${admin.username}`,
      `  password:  ${admin.password}`,
      '  sign in, then set up two-step verification (两步验证) with an authenticator app as the page asks;',
      '  change the password under the user menu (修改密码); set ADMIN_PASSWORD on first start to choose it instead',
    ].join('\n'))
  } else if (admin) {
    console.log(`first start: created the administrator account '${admin.username}' with the password from ADMIN_PASSWORD; ` +
      'at the first sign-in it sets up two-step verification (两步验证) with an authenticator app')
  }

  let draining = false
  const deps: AppDeps = {
    db, now: () => new Date(), webRoot: config.webRoot, basemapDir: config.basemapDir, draining: () => draining,
    sessionSecret: config.sessionSecret, trustProxy: config.trustProxy, secureCookies: config.secureCookies,
    passwordMaxAgeDays: config.passwordMaxAgeDays, role: config.role, databaseUrl: config.databaseUrl, warmTiles: true,
    monitoring: { rawDays: config.readingsRawDays },
  }
  // A city atlas harvests its sources on their schedules (jobs can also be run from 系统管理 → 数据汇聚).
  const harvester = config.role === 'city' ? harvesterFor(deps) : null
  harvester?.startSchedule(config.harvestCheckMs)
  // Monitoring: silent sensors, overdue alarm steps and old readings by the clock; readings from a broker.
  const sweeps: MonitoringSchedule = scheduleSweeps(db, deps.now, { rawDays: config.readingsRawDays })
  const mqttIntake: MqttIntake | null = config.mqttUrl
    ? startMqttIntake(db, { url: config.mqttUrl, databaseUrl: ownConnectionUrl(deps), topicPrefix: config.mqttTopicPrefix, rawDays: config.readingsRawDays, now: deps.now })
    : null
  mqttIntake?.ready.catch((err: unknown) => console.error(`MQTT: cannot connect to the broker (MQTT_URL): ${err instanceof Error ? err.message : err}; retrying`))
  let simulator: Simulator | null = null
  const demoCity = Boolean(await db.kysely.selectFrom('meta').select('value').where('key', '=', 'demo').executeTakeFirst())
  const simulate = config.simulate === 'on' || (config.simulate === 'auto' && demoCity && config.role === 'district')
  const app = createApp(deps)
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    console.log(`City Safety Atlas (城市安全数据资源一张图) listening on http://${config.host}:${info.port} ` +
      `(${config.role === 'city' ? 'city atlas, ' : ''}database ${databaseLabel(config.databaseUrl)}, ready in ${Math.round(performance.now() - started)} ms)`)
    if (!simulate) return
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host
    startSimulator(db, {
      baseUrl: `http://${host}:${info.port}`, seed: config.demoSeed ?? DEFAULT_SEED,
      mqtt: config.mqttUrl ? { url: config.mqttUrl, topicPrefix: config.mqttTopicPrefix } : null,
    }).then((s) => {
      simulator = s
      if (s.sensors) console.log(`demo: simulating ${s.sensors} sensors ${config.mqttUrl ? 'over MQTT' : 'over HTTP'}, with an alarm every 20 s or so (SIMULATE=off stops it)`)
    }).catch((err: unknown) => console.error(`sensor simulator: ${err instanceof Error ? err.message : err}`))
  })
  server.on('error', (err: NodeJS.ErrnoException) => {
    console.error(err.code === 'EADDRINUSE' ? `port ${config.port} on ${config.host} is already in use: set PORT to another port` : err.message)
    process.exit(1)
  })
  // Graceful shutdown: stop accepting connections, let requests in flight finish (idle keep-alive
  // connections are closed at once), then close the database; give up after SHUTDOWN_GRACE_MS.
  const stop = (signal: string) => {
    if (draining) return
    draining = true
    harvester?.stop()
    sweeps.stop()
    liveHubOf(db).close()
    void simulator?.stop()
    void mqttIntake?.stop()
    console.log(`${signal}: finishing the requests in flight, then stopping`)
    const deadline = setTimeout(() => {
      console.error(`requests still running after ${SHUTDOWN_GRACE_MS} ms: stopping anyway`)
      process.exit(1)
    }, SHUTDOWN_GRACE_MS)
    deadline.unref()
    const http = server as unknown as { closeIdleConnections?: () => void }
    server.close(() => {
      db.close().finally(() => process.exit(0))
    })
    http.closeIdleConnections?.()
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

const SHUTDOWN_GRACE_MS = 10_000

/** The database as the start-up line names it: a file path, or a PostgreSQL URL without its password. */
function databaseLabel(url: string): string {
  if (!isPostgresUrl(url)) return url
  const u = new URL(url)
  if (u.password) u.password = '***'
  return `PostgreSQL ${u.toString()}`
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
