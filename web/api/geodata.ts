import type { FeatureKind, RiskLevel } from '../../server/domain/enums.js'
import type { Bbox } from './types.js'
import { ApiError, request } from './client.js'

/**
 * Typed calls of the geodata import (server/geodata): upload a spatial file into a data resource,
 * preview what it holds (count, bounds, columns, every problem by feature number), then import it all
 * or nothing with the preview's plan hash. Shapes follow the shared HTTP contract of issue 8.
 */

/** The source coordinate system a user declares; `auto` = what a .prj says, otherwise WGS84. */
export type GeodataCrs = 'auto' | 'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09'
/** Text encoding of a CSV or .dbf; `auto` = .cpg, then UTF-8 if it decodes cleanly, else GBK. */
export type GeodataEncoding = 'auto' | 'utf-8' | 'gbk'
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

export interface GeodataColumn {
  name: string
  samples: string[]
  type: string
}

/** One problem of the file, by 1-based feature number in file order and the field it concerns. */
export interface GeodataProblem {
  feature: number
  field: string
  message: string
}

export interface GeodataPreviewFeature {
  type: 'Feature'
  geometry: { type: string; coordinates: unknown }
  properties: { n: number; name: string | null; kind: FeatureKind | string | null; riskLevel: RiskLevel | string | null }
}

export interface GeodataPreview {
  resourceId: number
  fileName: string
  format: GeodataFormat
  crs: { requested: GeodataCrs; used: string; label: string; fromPrj: boolean }
  encoding: string | null
  featureCount: number
  geometryTypes: Record<string, number>
  bounds: Bbox | null
  columns: GeodataColumn[]
  mapping: GeodataMapping
  existingFeatures: number
  problems: GeodataProblem[]
  problemCount: number
  warnings: string[]
  preview: { type: 'FeatureCollection'; features: GeodataPreviewFeature[] }
  planHash: string
}

export interface GeodataImportResult {
  resourceId: number
  inserted: number
  removed: number
  updateId: number
  updatedAt: string
}

/** What the user chose in the dialog; sent with every preview and import. */
export interface GeodataOptions {
  file: File
  crs: GeodataCrs
  encoding: GeodataEncoding
  /** The keys the user set (null = no column); the server guesses the missing ones from the column names. */
  mapping: Partial<GeodataMapping>
}

/** A geodata API error with its typed details: the problems (422) or the fresh preview (409). */
export class GeodataApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { problems?: GeodataProblem[]; preview?: GeodataPreview } = {},
  ) {
    super(message)
    this.name = 'GeodataApiError'
  }
}

function formOf(options: GeodataOptions, planHash?: string): FormData {
  const data = new FormData()
  data.set('file', options.file, options.file.name)
  data.set('crs', options.crs)
  data.set('encoding', options.encoding)
  // A key set to null means "no column" (the server guesses only the keys that are missing).
  const mapping = Object.fromEntries(Object.entries(options.mapping).filter(([, v]) => v !== undefined))
  if (Object.keys(mapping).length) data.set('mapping', JSON.stringify(mapping))
  if (planHash) data.set('planHash', planHash)
  return data
}

async function post<T>(path: string, body: FormData): Promise<T> {
  try {
    return await request<T>(path, { method: 'POST', body })
  } catch (e) {
    if (e instanceof ApiError) throw new GeodataApiError(e.status, e.code, e.message, e.details as GeodataApiError['details'])
    throw e
  }
}

export const geodataApi = {
  /** Reads the file and answers what an import would write, without writing anything. */
  preview: (resourceId: number | string, options: GeodataOptions) =>
    post<GeodataPreview>(`/api/resources/${encodeURIComponent(resourceId)}/geodata/preview`, formOf(options)),
  /** Replaces the resource's features with the file's, if the plan still matches the preview. */
  import: (resourceId: number | string, options: GeodataOptions, planHash: string) =>
    post<GeodataImportResult>(`/api/resources/${encodeURIComponent(resourceId)}/geodata/import`, formOf(options, planHash)),
}
