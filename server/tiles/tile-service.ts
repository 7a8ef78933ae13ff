import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { ownConnectionUrl, type AppDeps } from '../db/deps.js'
import type { FeatureFilter } from '../selection/filters.js'
import { resolveFilter, visibleResourceIds } from '../selection/resolve.js'
import { EVERYTHING, type Scope } from '../selection/scope.js'
import { ALL_FEATURES, CLUSTER_MAX_ZOOM, buildTile, type TileFilter } from './build-tile.js'
import { FeatureIndex, INDEX_FORMAT, KIND_CODES, RISK_CODES, type IndexPart } from './feature-index.js'
import { LruCache } from '../http/lru-cache.js'
import { runDedicatedWorker, siblingModule } from '../http/worker-task.js'
import { dataVersion, indexColumns, resourceDomains, shapeGeometries, storeIndex, storedIndex } from './queries.js'
import { mercX, mercY } from './tile-math.js'

/** Bounds of the tile cache: at most this many tiles and this many compressed bytes. */
const TILE_CACHE_ENTRIES = 20_000
const TILE_CACHE_BYTES = 128 * 1024 * 1024
/** What a signed-in user without any 受限 clearance sees. */
const INTERNAL: Scope = { rule: { all: false, sensitivities: ['public', 'internal'], restrictedDepartments: [], key: 'pi|r' }, base: null, key: 'pi|r' }

/** Zooms built ahead (unfiltered and per domain) once the index exists. */
const PREBUILD_MAX_ZOOM = 12
/** Each of the two workers that build the index of a million features holds a few hundred megabytes at most. */
const INDEX_WORKER_LIMITS = { heapMb: 1024, timeoutMs: 10 * 60_000 }
/** How long after the data changed tiles wait for the new index before the previous one answers them. */
const STALE_AFTER_MS = 1000
/**
 * Up to this many features the index is built here, in a few tens of milliseconds, rather than by workers
 * (which take longer to start than such a build); above, by two workers off the event loop.
 */
const IN_THREAD_FEATURES = 30_000
/** Indexes of at most this many features are rebuilt well within STALE_AFTER_MS: tiles wait for them. */
const QUICK_REBUILD_FEATURES = 200_000

export interface CachedTile {
  /** The tile, gzip-compressed. */
  gz: Buffer
  /** Strong validator of the compressed representation. */
  etag: string
  bytes: number
  /** Uncompressed size. */
  rawBytes: number
}

export interface TileServiceOptions {
  /** Build low-zoom tiles ahead in the background after the index is built (default: on unless TILE_PREBUILD=off). */
  prebuild?: boolean
  /** Up to this many features the index is built in the server's thread (default IN_THREAD_FEATURES). */
  inThreadFeatures?: number
  /** Up to this many features tiles wait for a rebuilt index (default QUICK_REBUILD_FEATURES). */
  quickRebuildFeatures?: number
}

/**
 * Serves vector tiles: keeps the in-memory feature index and a bounded LRU of compressed tiles, both
 * keyed by the data version that triggers bump on every write, so an import or an edit is visible on
 * the next request without any app code having to announce it.
 */
export class TileService {
  /** The index of one features version, loading or loaded (concurrent requests share one load). */
  private index: { version: string; loading: Promise<FeatureIndex>; done: boolean; startedAt: number } | null = null
  /** The last index that finished loading: it answers while a newer one is built off the event loop. */
  private ready: { version: string; index: FeatureIndex } | null = null
  /** The domain of each resource at one data version, likewise. */
  private domains: { version: string; loading: Promise<Map<number, string>> } | null = null
  private cacheVersion = ''
  readonly cache = new LruCache<CachedTile>(TILE_CACHE_ENTRIES, TILE_CACHE_BYTES, (t) => t.bytes)
  private readonly filters = new LruCache<{ filter: TileFilter; bytes: number }>(512, 64 * 1024 * 1024, (f) => f.bytes)
  private prebuildStarted = false
  /** Tile builds waiting for their turn: one at a time, each in a macrotask of its own (see build). */
  private readonly buildQueue: (() => void)[] = []
  private building = false
  /** Digest of the resources each scope sees, per data version: viewers who see the same resources share tiles. */
  private readonly visibleSets = new Map<string, { version: string; key: string }>()

  constructor(private readonly deps: AppDeps, private readonly options: TileServiceOptions = {}) {}

  /** The current data version; a change empties the caches. */
  async version(): Promise<string> {
    const v = await dataVersion(this.deps.db)
    if (v !== this.cacheVersion) {
      this.cache.clear()
      this.filters.clear()
      this.visibleSets.clear()
      this.cacheVersion = v
    }
    return v
  }

  /**
   * The cache key of a request: data version, tile, what the viewer may see, and canonical query (plus
   * the minute when freshness, a function of time, filters).
   */
  key(version: string, z: number, x: number, y: number, visible: string, search: URLSearchParams): string {
    const entries = [...search.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    const q = new URLSearchParams(entries).toString()
    const minute = search.has('freshness') ? `|${Math.floor(this.deps.now().getTime() / 60_000)}` : ''
    return `${version}|${z}/${x}/${y}|${visible}|${q}${minute}`
  }

  /**
   * A key of the set of resources a scope may see (and its kiosk filter), computed once per data version
   * (and minute, when the kiosk's filter names a freshness status, a function of time).
   */
  async visibleKey(version: string, scope: Scope): Promise<string> {
    if (scope.rule.all && !scope.base) return 'all'
    const stamp = scope.base?.freshness?.length ? `${version}|${Math.floor(this.deps.now().getTime() / 60_000)}` : version
    const hit = this.visibleSets.get(scope.key)
    if (hit && hit.version === stamp) return hit.key
    const resourceIds = await visibleResourceIds(this.deps, scope)
    // A kiosk's feature-level filter (kind, risk) narrows features, not resources: it is part of the key too.
    const featureLevel = JSON.stringify([scope.base?.kind ?? [], scope.base?.risk ?? []])
    const key = createHash('sha1').update(`${(resourceIds ?? []).join(',')}|${featureLevel}`).digest('base64url').slice(0, 16)
    if (this.visibleSets.size > 1000) this.visibleSets.clear()
    this.visibleSets.set(scope.key, { version: stamp, key })
    return key
  }

  cached(key: string): CachedTile | undefined {
    return this.cache.get(key)
  }

  /**
   * The index for the current features version, rebuilt when the features changed, and the domain of
   * each resource. While a newer index is being built (in a worker thread), the previous one answers
   * and `current` is false: tiles drawn from it are cached apart, under the version they show.
   */
  async featureIndex(version: string): Promise<{ index: FeatureIndex; domains: Map<number, string>; current: boolean; indexVersion: string }> {
    const featuresVersion = version.split('.')[1] ?? version
    if (this.index?.version !== featuresVersion) {
      const loading = this.loadIndex(featuresVersion)
      const entry = { version: featuresVersion, loading, done: false, startedAt: Date.now() }
      this.index = entry
      loading.then((index) => {
        entry.done = true
        this.ready = { version: featuresVersion, index }
      }, () => {
        // A failed load (the database closing, say) is not kept: the next request tries again.
        if (this.index === entry) this.index = null
      })
    }
    const entry = this.index!
    if (this.domains?.version !== version) {
      const loading = resourceDomains(this.deps.db)
      const entry = { version, loading }
      this.domains = entry
      loading.catch(() => { if (this.domains === entry) this.domains = null })
    }
    if (!entry.done && this.ready && this.buildsOffThread()) {
      // An index of a few hundred thousand features is rebuilt within a moment: tiles wait up to
      // STALE_AFTER_MS for it and a change shows at once. A larger one takes seconds (a million
      // features, three): tiles do not wait, the previous index answers them at once.
      const size = this.ready.index.points.id.length + this.ready.index.shapes.id.length
      const wait = size <= (this.options.quickRebuildFeatures ?? QUICK_REBUILD_FEATURES) ? STALE_AFTER_MS - (Date.now() - entry.startedAt) : 0
      if (wait > 0) {
        let timer: NodeJS.Timeout | undefined
        await Promise.race([entry.loading.catch(() => undefined), new Promise((r) => { timer = setTimeout(r, wait) })])
        clearTimeout(timer)
      }
      if (!entry.done) return { index: this.ready.index, domains: await this.domains.loading, current: false, indexVersion: this.ready.version }
    }
    const [index, domains] = await Promise.all([entry.loading, this.domains.loading])
    return { index, domains, current: true, indexVersion: entry.version }
  }

  /** Whether indexes are built in a worker thread (a database file or server it can open on its own). */
  private buildsOffThread(): boolean {
    return ownConnectionUrl(this.deps) !== null
  }

  /** Loads the stored index of a features version, or builds and stores it. */
  private async loadIndex(featuresVersion: string): Promise<FeatureIndex> {
    const db = this.deps.db
    const key = `${INDEX_FORMAT}:${featuresVersion}`
    const url = ownConnectionUrl(this.deps)
    // A stored index is read back here: two blobs, a tenth of a second at a million features, with no copy.
    const [storedPoints, storedShapes] = await Promise.all([storedIndex(db, 'points', key), storedIndex(db, 'shapes', key)])
    let index: FeatureIndex
    if (storedPoints && storedShapes) {
      index = new FeatureIndex(FeatureIndex.deserializePart('points', storedPoints), FeatureIndex.deserializePart('shapes', storedShapes))
    } else if (url && (await this.featuresAtMost()) > (this.options.inThreadFeatures ?? IN_THREAD_FEATURES)) {
      // Reading a million features and sorting them takes seconds: two workers with their own connections
      // build the points and the lines and polygons at once and answer them, then store them for the next
      // start while this thread holds the write gate (write-gate.ts), so that none of this thread's
      // writes waits inside SQLite meanwhile.
      const part = async <P extends IndexPart>(p: P) => {
        const answered = await runDedicatedWorker<Uint8Array>(siblingModule(import.meta.url, 'index-worker'), { databaseUrl: url, key, part: p }, INDEX_WORKER_LIMITS,
          { afterAnswer: (stored) => void db.writeGate.hold(() => stored) })
        if (!answered.ok) throw new Error(answered.message)
        return FeatureIndex.deserializePart(p, answered.value)
      }
      const [points, shapes] = await Promise.all([part('points'), part('shapes')])
      index = new FeatureIndex(points, shapes)
    } else {
      index = await FeatureIndex.build(await indexColumns(db), shapeGeometries(db))
      await storeIndex(db, 'points', key, FeatureIndex.serializePart('points', index.points))
      await storeIndex(db, 'shapes', key, FeatureIndex.serializePart('shapes', index.shapes))
    }
    if (!this.prebuildStarted && (this.options.prebuild ?? process.env.TILE_PREBUILD !== 'off')) {
      this.prebuildStarted = true
      void this.schedulePrebuild(index)
    }
    return index
  }

  /** At least as many features as there are (the highest id: no count of a million rows). */
  private async featuresAtMost(): Promise<number> {
    const r = await this.deps.db.kysely.selectFrom('features').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst()
    return Number(r?.m ?? 0)
  }

  /** Resolves a validated filter, within what the scope may see, to masks over the index (cached per query). */
  async tileFilter(filterKey: string, requested: FeatureFilter, scope: Scope): Promise<TileFilter> {
    const hit = this.filters.get(filterKey)
    if (hit) return hit.filter
    let filter = ALL_FEATURES
    const { resourceIds, filter: f } = await resolveFilter(this.deps, requested, scope)
    if (resourceIds !== null || f.kind?.length || f.risk?.length) {
      let resources: Uint8Array | null = null
      if (resourceIds !== null) {
        resources = new Uint8Array(Math.max(0, ...resourceIds) + 1)
        for (const id of resourceIds) resources[id] = 1
      }
      const kindMask = f.kind?.length ? f.kind.reduce((m, k) => m | (1 << KIND_CODES.indexOf(k)), 0) : -1
      const riskMask = f.risk?.length ? f.risk.reduce((m, r) => m | (1 << RISK_CODES.indexOf(r)), 0) : -1
      filter = { resources, kindMask, riskMask }
    }
    this.filters.set(filterKey, { filter, bytes: filter.resources?.byteLength ?? 0 })
    return filter
  }

  /** Builds, compresses and caches a tile. */
  async build(key: string, version: string, z: number, x: number, y: number, filter: TileFilter): Promise<CachedTile> {
    const { index, domains, current, indexVersion } = await this.featureIndex(version)
    // A tile of the previous index (while the new one is built) is kept under that index's version: asked
    // again meanwhile it is not drawn again, and it is never taken for a tile of the current data.
    const cacheKey = current ? key : `previous ${indexVersion}|${key}`
    const kept = current ? undefined : this.cache.get(cacheKey)
    if (kept) return kept
    await this.turn()
    let raw: Uint8Array
    try {
      raw = buildTile(index, domains, z, x, y, filter)
    } finally {
      this.nextTurn()
    }
    const gz = gzipSync(raw, { level: 5 })
    const etag = `"${createHash('sha1').update(gz).digest('base64url').slice(0, 27)}"`
    const tile: CachedTile = { gz, etag, bytes: gz.byteLength + cacheKey.length, rawBytes: raw.byteLength }
    this.cache.set(cacheKey, tile)
    return tile
  }

  /**
   * Tile builds take turns, each starting in a macrotask of its own: when many wait for the same thing
   * (a new index, after an import), they do not run back to back in one stretch of microtasks, and
   * other requests are answered between them.
   */
  private turn(): Promise<void> {
    if (!this.building) {
      this.building = true
      return Promise.resolve()
    }
    return new Promise((resolve) => this.buildQueue.push(resolve))
  }

  private nextTurn(): void {
    const next = this.buildQueue.shift()
    if (next) setImmediate(next)
    else this.building = false
  }

  /**
   * Builds the low-zoom tiles of the unfiltered and per-domain views in the background, one tile per
   * macrotask so requests are never held up for long; stops when the data changes.
   */
  private async schedulePrebuild(index: FeatureIndex): Promise<void> {
    let version: string
    let domains: string[]
    try {
      version = this.cacheVersion || (await this.version())
      domains = (await this.deps.db.kysely.selectFrom('domains').select('code').orderBy('sort_order').execute()).map((d) => d.code)
    } catch {
      // The database went away (a test closing it, a shutdown): building ahead is only an optimisation.
      return
    }
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
    for (let i = 0; i < index.points.mx.length; i++) {
      const px = index.points.mx[i]!, py = index.points.my[i]!
      if (px < minX) minX = px
      if (px > maxX) maxX = px
      if (py < minY) minY = py
      if (py > maxY) maxY = py
    }
    for (let i = 0; i < index.shapes.id.length; i++) {
      minX = Math.min(minX, mercX(index.shapes.minX[i]!)); maxX = Math.max(maxX, mercX(index.shapes.maxX[i]!))
      minY = Math.min(minY, mercY(index.shapes.maxY[i]!)); maxY = Math.max(maxY, mercY(index.shapes.minY[i]!))
    }
    if (!Number.isFinite(minX)) return
    const jobs: { z: number; x: number; y: number; query: string; scope: Scope }[] = []
    // Administrators, and users who see public and internal data (most of them), without filters and per domain.
    const scopes: Scope[] = [INTERNAL, EVERYTHING]
    for (const scope of scopes) for (const query of ['', ...domains.map((d) => `domain=${encodeURIComponent(d)}`)]) {
      for (let z = 0; z <= Math.min(PREBUILD_MAX_ZOOM, CLUSTER_MAX_ZOOM); z++) {
        const n = 2 ** z
        for (let x = Math.floor(minX * n); x <= Math.min(n - 1, Math.floor(maxX * n)); x++) {
          for (let y = Math.floor(minY * n); y <= Math.min(n - 1, Math.floor(maxY * n)); y++) jobs.push({ z, x, y, query, scope })
        }
      }
    }
    const step = async () => {
      const job = jobs.shift()
      if (!job) return
      try {
        if ((await this.version()) !== version) return
        const search = new URLSearchParams(job.query)
        const visible = await this.visibleKey(version, job.scope)
        const key = this.key(version, job.z, job.x, job.y, visible, search)
        if (!this.cache.get(key)) {
          const f: FeatureFilter = job.query ? { domain: [search.get('domain')!] } : {}
          await this.build(key, version, job.z, job.x, job.y, await this.tileFilter(`${visible}|${search}`, f, job.scope))
        }
      } catch {
        // The database went away (a test closing it, a shutdown): building ahead is only an optimisation.
        return
      }
      setTimeout(() => void step(), 0).unref()
    }
    setTimeout(() => void step(), 0).unref()
  }
}
