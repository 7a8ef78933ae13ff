import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'
import { postgisInstalled, postgresBin } from './scripts/postgres-cluster.js'

const repo = fileURLToPath(new URL('.', import.meta.url))

// The server tests run twice: on SQLite, and on PostgreSQL + PostGIS in a throwaway cluster that the
// project's global setup starts (Debian's postgresql and postgresql-15-postgis-3; CI installs them).
// Where they are not installed the PostgreSQL run is left out, and said so; TEST_POSTGRES=0 leaves it
// out on purpose (a quicker run while working).
const postgres = postgresBin()
const postgresInstalled = !!postgres && postgisInstalled(postgres)
const postgresReady = postgresInstalled && process.env.TEST_POSTGRES !== '0'
if (!postgresReady && process.env.VITEST) {
  console.warn(postgresInstalled
    ? 'TEST_POSTGRES=0: the server tests run on SQLite only'
    : 'PostgreSQL with PostGIS is not installed: the server tests run on SQLite only (apt-get install postgresql postgresql-15-postgis-3)')
}
/** Server test files that never open a database: they run once, in the SQLite project. */
const withoutDatabase = ['alarm-rules', 'risk-grading', 'bench-smoke', 'folders', 'nesting', 'promises', 'rules', 'worker-task'].map((f) => `tests/server/${f}.test.ts`)

// The web app lives in web/ and is built into dist/web, which the API server serves.
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': 'http://127.0.0.1:8787' },
  },
  // Tests (vitest): server, web and end-to-end test files in child processes (better-sqlite3 is a
  // native module: forks, not threads); each end-to-end file starts a real server and Chromium.
  // `npx vitest` watches; `npx vitest run -t '<name>'` runs one test by name.
  test: {
    // Test files run side by side, three at a time on a 2-core machine: the end-to-end files wait on
    // Chromium and their server much of the time, while the unit files mostly compute.
    maxWorkers: 3,
    // Passwords are hashed with scrypt N = 2^10 instead of 2^15 (server/auth/passwords.ts): nothing
    // a test checks depends on the cost; servers the end-to-end tests start inherit it.
    env: { NODE_ENV: 'test', PASSWORD_HASH_COST: '10' },
    projects: [
      {
        test: {
          name: 'server',
          root: repo,
          include: ['tests/server/**/*.test.ts'],
          pool: 'forks',
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      ...(postgresReady ? [{
        test: {
          name: 'server-pg',
          root: repo,
          include: ['tests/server/**/*.test.ts'],
          exclude: withoutDatabase,
          pool: 'forks' as const,
          isolate: false,
          env: { NODE_ENV: 'test', PASSWORD_HASH_COST: '10', TEST_ENGINE: 'postgres' },
          globalSetup: ['tests/setup/postgres.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      }] : []),
      {
        test: {
          name: 'web',
          root: repo,
          include: ['tests/web/**/*.test.ts'],
          pool: 'forks',
          isolate: false,
        },
      },
      {
        test: {
          name: 'e2e',
          root: repo,
          include: ['tests/e2e/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['server/**/*.ts', 'web/**/*.{ts,vue}'],
      reporter: ['text-summary', 'text'],
    },
  },
})
