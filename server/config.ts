import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { DEFAULT_PASSWORD_MAX_AGE_DAYS } from './domain/access.js'
import { isPostgresUrl } from './db/connect.js'
import { FOCUS_DISTRICT, districtNamed, type District } from './geo/regions.js'
import { ATLAS_ROLES, type AtlasRole } from './domain/federation.js'

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().min(1).default('data/atlas.sqlite'),
  DATABASE_READ_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL of a streaming replica of DATABASE_URL').optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  ATLAS_DISTRICT: z.string().trim().min(1).default(FOCUS_DISTRICT.name),
  ATLAS_ROLE: z.enum(ATLAS_ROLES, { message: "must be 'district' (one district's atlas) or 'city' (also harvests district atlases)" }).default('district'),
  HARVEST_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  SQLITE_MMAP_MB: z.string().trim().regex(/^\d{1,4}$/, 'must be a whole number of MiB (0 turns the memory map off)').optional()
    .refine((v) => v === undefined || !/^\d+$/.test(v) || Number(v) <= 4096, 'must be at most 4096 MiB'),
  MQTT_URL: z.string().trim().regex(/^mqtts?:\/\/[^\s]+$/, 'must be an mqtt:// or mqtts:// URL of the broker, e.g. mqtt://127.0.0.1:1883').optional(),
  MQTT_TOPIC_PREFIX: z.string().trim().regex(/^[A-Za-z0-9_\-/]{1,64}$/, 'must be letters, digits, _ - and /').default('atlas'),
  READINGS_RAW_DAYS: z.coerce.number().int('must be a whole number of days').min(1, 'must be at least 1').max(3650, 'must be at most 3650').default(30),
  SIMULATE: z.enum(['auto', 'on', 'off'], { message: "must be 'auto' (simulate sensors on the demo city), 'on' or 'off'" }).default('auto'),
  DEMO: z.enum(['auto', 'off'], { message: "must be 'auto' (fill an empty database with the demo city) or 'off'" }).default('auto'),
  DEMO_SCALE: z.coerce.number().positive().max(100).default(1),
  DEMO_SEED: z.coerce.number().int('must be a whole number').min(1).max(2 ** 31).optional(),
  WEB_ROOT: z.string().min(1).default('dist/web'),
  BASEMAP_DIR: z.string().min(1).default('data/basemap'),
  NODE_ENV: z.string().default('development'),
  SESSION_SECRET: z.string().optional(),
  ADMIN_PASSWORD: z.string().optional(),
  TRUST_PROXY: z.enum(['on', 'off'], { message: "must be 'on' (behind a reverse proxy that sets X-Forwarded-For) or 'off'" }).default('off'),
  COOKIE_SECURE: z.enum(['auto', 'on', 'off'], { message: "must be 'auto', 'on' or 'off'" }).default('auto'),
  PASSWORD_MAX_AGE_DAYS: z.string().trim().regex(/^\d{1,4}$/, 'must be a whole number of days (0 turns the limit off)').default(String(DEFAULT_PASSWORD_MAX_AGE_DAYS))
    .transform(Number).refine((d) => d <= 3650, 'must be at most 3650 days (0 turns the limit off)'),
})

/** Values found in examples and tutorials: a production secret must not be one of them. */
const KNOWN_SECRETS = new Set(['changeme', 'change-me', 'secret', 'session-secret', 'default', 'password', 'keyboard cat', 'development', 'test', 'please-change-me'])
const MIN_SECRET_LENGTH = 32

export interface Config {
  port: number
  host: string
  /** The database: a SQLite file (absolute path) or ':memory:', or a postgres:// URL. */
  databaseUrl: string
  /** SQLite database file (absolute), or ':memory:'; null on PostgreSQL. */
  databaseFile: string | null
  /** A PostgreSQL streaming replica for read-only queries (DATABASE_READ_URL). */
  databaseReadUrl: string | null
  /** PostgreSQL connections per pool. */
  databasePoolSize: number
  /** The district this atlas serves (ATLAS_DISTRICT): its grid, demo city and forms. */
  district: District
  /** A district atlas, or a city atlas that also harvests district atlases (ATLAS_ROLE). */
  role: AtlasRole
  /** How often a city atlas looks for harvest jobs that are due (HARVEST_CHECK_SECONDS). */
  harvestCheckMs: number
  /** The MQTT broker the server subscribes to for sensor readings (MQTT_URL); none: readings over HTTP only. */
  mqttUrl: string | null
  /** Topics are <prefix>/<system id>/readings (MQTT_TOPIC_PREFIX, default atlas). */
  mqttTopicPrefix: string
  /** Days raw sensor readings are kept (READINGS_RAW_DAYS); per-minute roll-ups 90 days or as long, hourly ones for good. */
  readingsRawDays: number
  /** The demo's sensor simulator: on the demo city unless SIMULATE=off. */
  simulate: 'auto' | 'on' | 'off'
  demo: 'auto' | 'off'
  demoScale: number
  /** The demo generator's seed (DEMO_SEED): districts of one city get different synthetic data. */
  demoSeed: number | null
  webRoot: string
  /** Where an administrator's uploaded PMTiles basemap is kept (BASEMAP_DIR; replicas need it on shared storage). */
  basemapDir: string
  production: boolean
  /** The session secret: from SESSION_SECRET, or (outside production) generated once and kept next to the database. */
  sessionSecret: string
  /** The first administrator's password when the database has no users (else a random one is printed once). */
  adminPassword: string | null
  trustProxy: boolean
  secureCookies: boolean | 'auto'
  /** Days a password may be used before its user must change it; 0: no limit. */
  passwordMaxAgeDays: number
}

/** Reads and validates the environment once at start; a bad value stops the process with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  const production = e.NODE_ENV === 'production'
  const postgres = isPostgresUrl(e.DATABASE_URL)
  if (e.DATABASE_READ_URL && !postgres) throw new Error('invalid configuration:\n  DATABASE_READ_URL: read replicas need DATABASE_URL to be a postgres:// URL')
  const databaseFile = postgres ? null : databaseFileOf(e.DATABASE_URL)
  const district = districtNamed(e.ATLAS_DISTRICT)
  if (!district) throw new Error(`invalid configuration:\n  ATLAS_DISTRICT: ${e.ATLAS_DISTRICT} is not a district of Chongqing; give its name or code, e.g. 江北区 or 500105`)
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: databaseFile ?? e.DATABASE_URL,
    databaseFile,
    databaseReadUrl: e.DATABASE_READ_URL ?? null,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    district,
    role: e.ATLAS_ROLE,
    harvestCheckMs: e.HARVEST_CHECK_SECONDS * 1000,
    mqttUrl: e.MQTT_URL ?? null,
    mqttTopicPrefix: e.MQTT_TOPIC_PREFIX.replace(/\/+$/, ''),
    readingsRawDays: e.READINGS_RAW_DAYS,
    simulate: e.SIMULATE,
    demo: e.DEMO,
    demoScale: e.DEMO_SCALE,
    demoSeed: e.DEMO_SEED ?? null,
    webRoot: resolve(REPO_ROOT, e.WEB_ROOT),
    basemapDir: resolve(REPO_ROOT, e.BASEMAP_DIR),
    production,
    sessionSecret: sessionSecretOf(e.SESSION_SECRET, production, databaseFile ?? resolve(REPO_ROOT, 'data/postgres')),
    adminPassword: e.ADMIN_PASSWORD || null,
    trustProxy: e.TRUST_PROXY === 'on',
    secureCookies: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'on',
    passwordMaxAgeDays: e.PASSWORD_MAX_AGE_DAYS,
  }
}

/**
 * In production the secret must be given, long and not a known example value: the process refuses to
 * start otherwise. In development a random secret is generated once and kept (mode 0600) next to the
 * database (on PostgreSQL in the repository's data/ directory, which replicas on one machine share;
 * replicas on several machines must be given the same SESSION_SECRET), so sessions survive restarts.
 */
function sessionSecretOf(given: string | undefined, production: boolean, databaseFile: string): string {
  const problem = (s: string) => s.trim().length < MIN_SECRET_LENGTH ? `must be at least ${MIN_SECRET_LENGTH} characters`
    : KNOWN_SECRETS.has(s.trim().toLowerCase()) || /^(.)\1*$/.test(s) ? 'is a well-known default; generate one, e.g. `openssl rand -base64 48`' : null
  if (given !== undefined && given !== '') {
    const p = problem(given)
    if (p) throw new Error(`invalid configuration:\n  SESSION_SECRET: ${p}`)
    return given
  }
  if (production) throw new Error('invalid configuration:\n  SESSION_SECRET: required when NODE_ENV=production (at least 32 random characters, e.g. `openssl rand -base64 48`)')
  if (databaseFile === ':memory:') return randomBytes(48).toString('base64url')
  const file = join(dirname(databaseFile), '.session-secret')
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim()
    if (!problem(kept)) return kept
  }
  const fresh = randomBytes(48).toString('base64url')
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${fresh}\n`, { mode: 0o600 })
  chmodSync(file, 0o600)
  return fresh
}

/** A SQLite database: a path, `file:path`, `sqlite:path` or `:memory:`. */
function databaseFileOf(url: string): string {
  if (url === ':memory:') return url
  const path = url.replace(/^(sqlite|file):(\/\/)?/, '')
  return isAbsolute(path) ? path : resolve(REPO_ROOT, path)
}
