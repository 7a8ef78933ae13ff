import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import pg from 'pg'
import { onTestFinished } from 'vitest'
import { openPostgres, openSqlite, type Db } from '../../server/db/connect.js'
import { prepareDatabase } from '../../server/prepare.js'

/** The engine the server tests run on: SQLite unless the test project set TEST_ENGINE=postgres. */
export const testEngine = (): 'sqlite' | 'postgres' => (process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite')

interface TestPostgres { socketDir: string; port: number; template: string }

let cluster: Promise<TestPostgres> | null = null
let admin: pg.Client | null = null

async function postgresCluster(): Promise<TestPostgres> {
  // Only inside the PostgreSQL test project: the cluster comes from its global setup.
  cluster ??= import('vitest').then((v) => v.inject('postgres') as TestPostgres)
  return cluster
}

const urlOf = (c: TestPostgres, database: string) => `postgres://postgres@localhost:${c.port}/${database}?host=${encodeURIComponent(c.socketDir)}`

/**
 * A fresh database with the schema and reference data, on the engine of the test run: an in-memory
 * SQLite database, or a new PostgreSQL database copied from the prepared template (a copy takes tens of
 * milliseconds; migrating and seeding anew would take seconds).
 */
export async function freshDatabase(): Promise<Db> {
  if (testEngine() === 'sqlite') {
    const db = openSqlite(':memory:')
    await prepareDatabase(db)
    return db
  }
  return newPostgresDatabase(true)
}

/** A new database with nothing in it (not even the schema), on the engine of the test run. */
export async function emptyDatabase(): Promise<Db> {
  return testEngine() === 'sqlite' ? openSqlite(':memory:') : newPostgresDatabase(false)
}

/**
 * The DATABASE_URL of a new, empty database for server processes the test starts, on the engine of
 * the test run: a SQLite file in `dir`, or a new PostgreSQL database of the test cluster.
 */
export async function newDatabaseUrl(dir: string): Promise<string> {
  if (testEngine() === 'sqlite') return join(dir, `atlas-${randomBytes(4).toString('hex')}.sqlite`)
  const c = await postgresCluster()
  const name = await createPostgresDatabase(c, false)
  return urlOf(c, name)
}

async function createPostgresDatabase(c: TestPostgres, prepared: boolean): Promise<string> {
  if (!admin) {
    admin = new pg.Client({ connectionString: urlOf(c, 'postgres') })
    await admin.connect()
  }
  const name = `test_${randomBytes(6).toString('hex')}`
  await admin.query(`CREATE DATABASE ${name}${prepared ? ` TEMPLATE ${c.template}` : ''}`)
  return name
}

async function newPostgresDatabase(prepared: boolean): Promise<Db> {
  const c = await postgresCluster()
  const name = await createPostgresDatabase(c, prepared)
  // Idle connections close soon, and the database's connections (its pool, its data-version listener)
  // all close when the test that opened it ends: test files share a process (isolate: false), and
  // the listeners of hundreds of finished tests would otherwise exhaust the cluster's connections.
  const db = openPostgres(urlOf(c, name), { poolSize: 5, idleTimeoutMs: 1000 })
  try {
    onTestFinished(() => db.close().catch(() => {}))
  } catch {
    // Opened outside a test (a beforeAll): it stays open with its file's process.
  }
  return db
}
