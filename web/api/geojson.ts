import type { InferRequestType } from 'hono/client'
import type { FeatureKind, RiskLevel } from '../../server/domain/enums.js'
import type { FeatureProperties, Provenance } from '../../server/domain/types.js'
import { api, cancel } from './client.js'
import type { FilterState } from './filter-params.js'
import { filtersToQuery } from './filter-params.js'

/**
 * The API's GeoJSON answers (server/features/routes.ts): the features, one feature with its
 * provenance, the district boundaries and grid. The server writes them as text with the GeoJSON media
 * type (`c.body`), so the typed client checks their paths and parameters but infers their answers as
 * strings: their shapes are described here, over the shared domain types of their properties.
 */

/** A GeoJSON geometry as the API serves it (RFC 7946). */
export interface Geometry {
  type: 'Point' | 'LineString' | 'Polygon' | 'MultiPoint' | 'MultiLineString' | 'MultiPolygon'
  coordinates: unknown
}
export interface AtlasFeature<P = FeatureProperties> {
  type: 'Feature'
  id?: number | string
  geometry: Geometry
  properties: P
}
export interface AtlasFeatureCollection<P = FeatureProperties> {
  type: 'FeatureCollection'
  features: AtlasFeature<P>[]
}

export type Bbox = [number, number, number, number]

/** A page of GET /api/features: the `next` link, while there are more, carries the keyset position. */
interface FeaturePage extends AtlasFeatureCollection {
  numberReturned: number
  links: { rel: string; href: string }[]
}

/** GET /api/features/:id: the feature with where it comes from. */
export type FeatureDetail = AtlasFeature<FeatureProperties & { provenance: Provenance }>

/** A district boundary or a grid cell of GET /api/regions. */
export interface RegionProperties {
  code?: string
  name?: string
  focus?: boolean
  id?: number
  row?: number
  col?: number
}

/** What the map needs to draw and hit-test a feature; the rest is fetched when it is opened. */
export interface MapFeatureProperties {
  id: number
  name: string
  kind: FeatureKind
  riskLevel: RiskLevel | null
  impactRadiusM: number | null
  /** Kept so that tests (and later, styling) can tell which domain a rendered feature is from. */
  domainCode: string
}

async function geoJson<T>(call: Promise<{ json(): Promise<unknown> }>): Promise<T> {
  return (await call).json() as Promise<T>
}

export function featureDetail(id: number | string, signal?: AbortSignal): Promise<FeatureDetail> {
  return geoJson(api.features[':id'].$get({ param: { id: String(id) } }, cancel(signal)))
}

export function regionFeatures(type: 'district' | 'grid'): Promise<AtlasFeatureCollection<RegionProperties>> {
  return geoJson(api.regions.$get({ query: { type } }))
}

type FeatureQuery = InferRequestType<typeof api.features.$get>['query']

/**
 * All features for the filters (and `extra` parameters, e.g. one system's), following the keyset
 * `next` links up to `cap` features so that a huge result cannot freeze the browser (beyond
 * TILE_THRESHOLD the map draws vector tiles instead).
 */
export async function allFeatures(
  filters: FilterState,
  options: { extra?: FeatureQuery; cap?: number; pageSize?: number; signal?: AbortSignal } = {},
): Promise<{ collection: AtlasFeatureCollection; truncated: boolean }> {
  const cap = options.cap ?? 30_000
  const pageSize = Math.min(options.pageSize ?? 10_000, cap)
  let query: FeatureQuery = { ...filtersToQuery(filters), limit: String(pageSize), ...options.extra }
  const features: AtlasFeature[] = []
  let next: string | undefined
  do {
    const page = await geoJson<FeaturePage>(api.features.$get({ query }, cancel(options.signal)))
    features.push(...page.features)
    next = page.links.find((l) => l.rel === 'next')?.href
    // The link is this route's path with the next page's query; any base will do to read it.
    if (next) query = Object.fromEntries(new URL(next, 'http://atlas.invalid').searchParams)
  } while (next && features.length < cap)
  return { collection: { type: 'FeatureCollection', features: features.slice(0, cap) }, truncated: Boolean(next) }
}
