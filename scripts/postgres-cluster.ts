import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Throwaway PostgreSQL clusters for the tests and the benchmark: Debian's `initdb`/`pg_ctl` in a
 * temporary directory, listening only on a Unix socket in that directory (no TCP port), removed when
 * stopped. As root the cluster runs as the `postgres` user (PostgreSQL refuses to run as root).
 */

/** The bin directory of Debian's PostgreSQL (the newest installed), or null when it is not installed. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
  return versions.length ? join(root, versions[0]!, 'bin') : null
}

/** True when PostGIS is installed for that PostgreSQL (its extension control file is present). */
export function postgisInstalled(bin: string): boolean {
  const version = bin.split('/').at(-2)!
  return existsSync(`/usr/share/postgresql/${version}/extension/postgis.control`)
}

export interface PgCluster {
  dir: string
  socketDir: string
  port: number
  bin: string
  /** A connection URL to a database of this cluster, as the product's DATABASE_URL takes it. */
  url: (database: string) => string
  stop: () => void
}

const asRoot = () => process.getuid?.() === 0

/** Runs a PostgreSQL program as the cluster's owner. */
export function asOwner(cmd: string, args: string[]): string {
  return asRoot()
    ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    : execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function ownedTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  chmodSync(dir, 0o755)
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, uid, gid)
  }
  return dir
}

export interface ClusterOptions {
  /** Port number of the socket file (no TCP port is opened). */
  port?: number
  /** Extra server settings (`-c name=value`). */
  settings?: Record<string, string | number>
  prefix?: string
}

/** Starts a throwaway cluster; the superuser `postgres` connects without a password over the socket only. */
export function startCluster(bin: string, options: ClusterOptions = {}): PgCluster {
  const port = options.port ?? 5432
  const dir = ownedTempDir(options.prefix ?? 'atlas-pg-')
  const data = join(dir, 'data')
  asOwner(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale'])
  const settings = {
    listen_addresses: "''", unix_socket_directories: dir, port, fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', jit: 'off',
    ...options.settings,
  }
  const opts = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`).join(' ')
  asOwner(join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', join(dir, 'log.txt'), '-w', 'start'])
  return {
    dir, socketDir: dir, port, bin,
    url: (database) => `postgres://postgres@localhost:${port}/${database}?host=${encodeURIComponent(dir)}`,
    stop: () => stopCluster(bin, data, dir),
  }
}

/**
 * A streaming replica of a running throwaway cluster (`pg_basebackup -R`: a copy of its data directory
 * that follows the primary's WAL), in its own temporary directory and socket; read-only (hot standby).
 */
export function startReplica(primary: PgCluster, options: ClusterOptions = {}): PgCluster {
  const port = options.port ?? primary.port + 1
  const dir = ownedTempDir(options.prefix ?? 'atlas-pg-replica-')
  const data = join(dir, 'data')
  asOwner(join(primary.bin, 'pg_basebackup'), ['-h', primary.socketDir, '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '--checkpoint=fast'])
  const settings = { listen_addresses: "''", unix_socket_directories: dir, port, fsync: 'off', hot_standby: 'on', ...options.settings }
  const opts = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`).join(' ')
  asOwner(join(primary.bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', join(dir, 'log.txt'), '-w', 'start'])
  return {
    dir, socketDir: dir, port, bin: primary.bin,
    url: (database) => `postgres://postgres@localhost:${port}/${database}?host=${encodeURIComponent(dir)}`,
    stop: () => stopCluster(primary.bin, data, dir),
  }
}

function stopCluster(bin: string, data: string, dir: string): void {
  const pgCtl = [join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']
  spawnSync(asRoot() ? 'runuser' : pgCtl[0]!, asRoot() ? ['-u', 'postgres', '--', ...pgCtl] : pgCtl.slice(1), { stdio: 'ignore' })
  rmSync(dir, { recursive: true, force: true })
}

/** Runs SQL with psql against a database of the cluster and returns its unaligned output. */
export function psql(cluster: Pick<PgCluster, 'socketDir' | 'port'>, database: string, statement: string): string {
  return asOwner('psql', ['-h', cluster.socketDir, '-p', String(cluster.port), '-d', database, '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', statement])
}
