import type {
  CrsChoice, EncodingChoice, GeodataColumn, GeodataFormat, GeodataImportResult, GeodataMapping, GeodataPreview, GeodataProblem,
} from '../../server/domain/geodata.js'
import { ApiError, upload } from './client.js'

/**
 * What the web app sends to the geodata import (server/geodata) and reads from its refusals: upload a
 * spatial file into a data resource, preview what it holds (count, bounds, columns, every problem by
 * feature number), then import it all or nothing with the preview's plan hash. The shapes are the
 * shared ones of server/domain/geodata.ts.
 */

export type { GeodataColumn, GeodataFormat, GeodataImportResult, GeodataMapping, GeodataPreview }
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

/** The multipart body of a geodata upload (preview, or import with the preview's plan hash). */
export function geodataUpload(options: GeodataOptions, planHash?: string) {
  const data = new FormData()
  data.set('file', options.file, options.file.name)
  data.set('crs', options.crs)
  data.set('encoding', options.encoding)
  // A key set to null means "no column" (the server guesses only the keys that are missing).
  const mapping = Object.fromEntries(Object.entries(options.mapping).filter(([, v]) => v !== undefined))
  if (Object.keys(mapping).length) data.set('mapping', JSON.stringify(mapping))
  if (planHash) data.set('planHash', planHash)
  return upload(data)
}
