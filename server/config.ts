import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().min(1).default('data/atlas.sqlite'),
  DEMO: z.enum(['auto', 'off'], { message: "must be 'auto' (fill an empty database with the demo city) or 'off'" }).default('auto'),
  DEMO_SCALE: z.coerce.number().positive().max(100).default(1),
  WEB_ROOT: z.string().min(1).default('dist/web'),
})

export interface Config {
  port: number
  host: string
  /** SQLite database file (absolute), or ':memory:' */
  databaseFile: string
  demo: 'auto' | 'off'
  demoScale: number
  webRoot: string
}

/** Reads and validates the environment once at start; a bad value stops the process with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    databaseFile: databaseFileOf(e.DATABASE_URL),
    demo: e.DEMO,
    demoScale: e.DEMO_SCALE,
    webRoot: resolve(REPO_ROOT, e.WEB_ROOT),
  }
}

/** Accepts a path, `file:path`, `sqlite:path` or `:memory:`; PostgreSQL is the planned scale-out path. */
function databaseFileOf(url: string): string {
  if (url === ':memory:') return url
  if (/^postgres(ql)?:/.test(url)) throw new Error('DATABASE_URL: PostgreSQL is not supported yet; use a SQLite file path')
  const path = url.replace(/^(sqlite|file):(\/\/)?/, '')
  return isAbsolute(path) ? path : resolve(REPO_ROOT, path)
}
