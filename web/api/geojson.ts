import type { FeatureKind, RiskLevel } from '../../server/domain/enums.js'
import type { FeatureProperties } from '../../server/domain/types.js'

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
