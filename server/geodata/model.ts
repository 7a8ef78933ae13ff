/** What every reader of a spatial file produces, before coordinate conversion and checks. */

import type { GeodataFormat } from '../domain/geodata.js'
export type { GeodataFormat }
export type AttributeValue = string | number | boolean | null

/** A geometry as read (GeoJSON-shaped, any type, not yet converted to WGS84). */
export interface SourceGeometry {
  type: string
  coordinates?: unknown
  geometries?: SourceGeometry[]
}

export interface SourceFeature {
  /** Null when the file has none for this feature (or, for CSV, until the mapping builds it). */
  geometry: SourceGeometry | null
  /** Why the geometry could not be read (Chinese), when it could not. */
  geometryProblem?: string
  attributes: Record<string, AttributeValue>
}

export interface SourceFile {
  format: GeodataFormat
  features: SourceFeature[]
  /** Attribute columns in file order. */
  columns: string[]
  /** The text of a shapefile's .prj, when there is one. */
  prj: string | null
  /** A coordinate system named inside the file (a legacy GeoJSON `crs` member), e.g. "EPSG:4547". */
  crsName?: string | null
  /** The text encoding used for attributes (CSV, .dbf), or null when the format fixes it. */
  encoding: string | null
  warnings: string[]
}
