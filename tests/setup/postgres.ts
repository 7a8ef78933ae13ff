import type { TestProject } from 'vitest/node'
import { postgisInstalled, postgresBin, psql, startCluster } from '../../scripts/postgres-cluster.js'
import { openPostgres } from '../../server/db/connect.js'
import { prepareDatabase } from '../../server/prepare.js'

/** Where the server tests on PostgreSQL find their throwaway cluster: each test database is a copy of `template`. */
export interface TestPostgres { socketDir: string; port: number; template: string }

declare module 'vitest' {
  export interface ProvidedContext { postgres: TestPostgres }
}

/**
 * Starts a throwaway PostgreSQL + PostGIS cluster for the `server-pg` test project (Unix socket in a
 * temporary directory only) and prepares a template database (migrated, reference data seeded) that
 * each test's database is created from; stops and removes the cluster at the end.
 */
export default async function setup(project: TestProject) {
  const bin = postgresBin()
  if (!bin || !postgisInstalled(bin)) throw new Error('PostgreSQL with PostGIS is not installed (Debian: postgresql postgresql-15-postgis-3)')
  const started = performance.now()
  const cluster = startCluster(bin, { prefix: 'atlas-test-pg-', settings: { max_connections: 400, shared_buffers: '128MB' } })
  try {
    const template = 'atlas_template'
    psql(cluster, 'postgres', `CREATE DATABASE ${template}`)
    const db = openPostgres(cluster.url(template))
    try {
      await prepareDatabase(db)
    } finally {
      await db.close()
    }
    project.provide('postgres', { socketDir: cluster.socketDir, port: cluster.port, template })
    console.log(`PostgreSQL test cluster ready in ${Math.round(performance.now() - started)} ms (${cluster.dir})`)
    // Stopped even when the run is cut short (the teardown below does not run then).
    process.once('exit', cluster.stop)
  } catch (e) {
    cluster.stop()
    throw e
  }
  return () => cluster.stop()
}
