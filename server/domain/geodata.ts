import type { FeatureKind, RiskLevel } from './enums.js'

/**
 * The geodata import's HTTP contract, shared by server and web: what a preview answers and an import
 * returns. The readers, conversions and checks are in server/geodata.
 */

export const CRS_CHOICES = ['auto', 'wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const
/** The source coordinate system a user declares; `auto` = what a .prj says, otherwise WGS84. */
export type CrsChoice = (typeof CRS_CHOICES)[number]
/** The system the coordinates were read in. */
export type CrsUsed = 'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09' | 'cgcs2000-gk' | 'projected'
/** Text encoding of a CSV or .dbf; `auto` = .cpg, then UTF-8 if it decodes cleanly, else GBK. */
export type EncodingChoice = 'auto' | 'utf-8' | 'gbk'
export type GeodataFormat = 'geojson' | 'csv' | 'kml' | 'kmz' | 'shapefile'

/** Which attribute column fills which feature field; null = none (the server guesses missing keys). */
export interface GeodataMapping {
  name: string | null
  kind: string | null
  /** A fixed feature kind for every feature, used when no kind column is mapped. */
  kindFixed: FeatureKind | null
  risk: string | null
  lon: string | null
  lat: string | null
  wkt: string | null
}

export interface GeodataColumn { name: string; samples: string[]; type: 'text' | 'number' | 'boolean' | 'empty' }

/** One problem of the file, by 1-based feature number in file order (0: the whole file) and the field it concerns. */
export interface GeodataProblem { feature: number; field: string; message: string }

export interface GeodataPreviewFeature {
  type: 'Feature'
  geometry: { type: string; coordinates: unknown }
  properties: { n: number; name: string; kind: FeatureKind | string | null; riskLevel: RiskLevel | string | null }
}

/** The answer of POST /api/resources/:id/geodata/preview. */
export interface GeodataPreview {
  resourceId: number
  fileName: string
  format: GeodataFormat
  crs: { requested: CrsChoice; used: CrsUsed; label: string; fromPrj: boolean }
  encoding: string | null
  featureCount: number
  geometryTypes: Record<string, number>
  /** [minLon, minLat, maxLon, maxLat] in WGS84. */
  bounds: [number, number, number, number] | null
  columns: GeodataColumn[]
  mapping: GeodataMapping
  existingFeatures: number
  problems: GeodataProblem[]
  problemCount: number
  warnings: string[]
  preview: { type: 'FeatureCollection'; features: GeodataPreviewFeature[] }
  planHash: string
}

/** The answer of POST /api/resources/:id/geodata/import. */
export interface GeodataImportResult {
  resourceId: number
  inserted: number
  removed: number
  updateId: number
  updatedAt: string
}
