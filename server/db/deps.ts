import type { Db } from './connect.js'
import type { AtlasRole } from '../domain/federation.js'

/** What the app needs from the outside world; tests pass their own (an in-memory database, a fixed clock). */
export interface AppDeps {
  db: Db
  /** The current time; freshness and reporting deadlines are judged against it. */
  now: () => Date
  /** Directory of the built web app to serve, if any. */
  webRoot?: string | null
  /** Key of the session-token HMAC; a random one per process when absent (sessions then end with the process). */
  sessionSecret?: string
  /** Read the client address from X-Forwarded-For (only behind a reverse proxy that sets it). */
  trustProxy?: boolean
  /** Secure cookies: always, never, or when the request came over https ('auto', the default). */
  secureCookies?: boolean | 'auto'
  /** Days a password may be used before it must be changed (PASSWORD_MAX_AGE_DAYS; 0: no limit; default 90). */
  passwordMaxAgeDays?: number
  /** True once the process is shutting down: /api/ready answers 503 so that a load balancer sends no more. */
  draining?: () => boolean
  /** The database's URL (a SQLite file or postgres://), when long jobs may open their own connection to it in a worker thread. */
  databaseUrl?: string
  /** Where an uploaded PMTiles basemap is kept (BASEMAP_DIR); none: the basemap can be a URL, not a file. */
  basemapDir?: string | null
  /** Start building the tile feature index at once (the server does; tests build it on their first tile). */
  warmTiles?: boolean
  /** Settings of the tile service (TileServiceOptions; tests set its thresholds to see each path with few features). */
  tiles?: { prebuild?: boolean; inThreadFeatures?: number; quickRebuildFeatures?: number }
  /** A district atlas (the default) or a city atlas that also harvests district atlases. */
  role?: AtlasRole
  /** Monitoring: days raw sensor readings are kept (READINGS_RAW_DAYS; default 30). */
  monitoring?: { rawDays?: number }
  /** Waits `ms` (a timer): how failed sign-ins slow later attempts; tests pass one that follows their clock. */
  sleep?: (ms: number) => Promise<void>
}

/**
 * The URL a worker thread can open a connection of its own to (a SQLite file, a PostgreSQL server), so
 * that long reads and large writes run off the event loop; null for an in-memory database, which only
 * this thread's connection sees (such work then runs here).
 */
export function ownConnectionUrl(deps: Pick<AppDeps, 'databaseUrl'>): string | null {
  const url = deps.databaseUrl
  return url && url !== ':memory:' && !url.startsWith('file::memory:') ? url : null
}
