import type {
  CrsChoice, EncodingChoice, GeodataColumn, GeodataFormat, GeodataImportResult, GeodataMapping, GeodataPreview, GeodataPreviewFeature, GeodataProblem,
} from '../../server/domain/geodata.js'
import { ApiError, request } from './client.js'

/**
 * Typed calls of the geodata import (server/geodata): upload a spatial file into a data resource,
 * preview what it holds (count, bounds, columns, every problem by feature number), then import it all
 * or nothing with the preview's plan hash. The shapes are the shared ones of server/domain/geodata.ts.
 */

export type { GeodataColumn, GeodataFormat, GeodataImportResult, GeodataMapping, GeodataPreview, GeodataPreviewFeature, GeodataProblem }
/** The source coordinate system a user declares. */
export type GeodataCrs = CrsChoice
/** Text encoding of a CSV or .dbf. */
export type GeodataEncoding = EncodingChoice

/** What the user chose in the dialog; sent with every preview and import. */
export interface GeodataOptions {
  file: File
  crs: GeodataCrs
  encoding: GeodataEncoding
  /** The keys the user set (null = no column); the server guesses the missing ones from the column names. */
  mapping: Partial<GeodataMapping>
}

/** What a refused geodata upload carries: the problems (422 geodata_invalid) or the fresh preview (409 plan_changed). */
export interface GeodataErrorDetails {
  problems?: GeodataProblem[]
  preview?: GeodataPreview
}

/** The details of a geodata upload's ApiError, or null for any other error. */
export function geodataError(e: unknown): (ApiError & { details: GeodataErrorDetails }) | null {
  return e instanceof ApiError ? (e as ApiError & { details: GeodataErrorDetails }) : null
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

// Uploads are multipart bodies the handlers read themselves (no validator the typed client could
// follow), so they are sent by path through the one request function.
const post = <T>(path: string, body: FormData) => request<T>(path, { method: 'POST', body })

export const geodataApi = {
  /** Reads the file and answers what an import would write, without writing anything. */
  preview: (resourceId: number | string, options: GeodataOptions) =>
    post<GeodataPreview>(`/api/resources/${encodeURIComponent(resourceId)}/geodata/preview`, formOf(options)),
  /** Replaces the resource's features with the file's, if the plan still matches the preview. */
  import: (resourceId: number | string, options: GeodataOptions, planHash: string) =>
    post<GeodataImportResult>(`/api/resources/${encodeURIComponent(resourceId)}/geodata/import`, formOf(options, planHash)),
}
