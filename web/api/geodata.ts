import type {
  CrsChoice, EncodingChoice, GeodataColumn, GeodataFormat, GeodataImportResult, GeodataMapping, GeodataPreview, GeodataPreviewFeature, GeodataProblem,
} from '../../server/domain/geodata.js'
import { ApiError, request } from './client.js'

/**
 * Typed calls of the geodata import (server/geodata): upload a spatial file into a data resource,
 * preview what it holds (count, bounds, columns, every problem by feature number), then import it all
 * or nothing with the preview's plan hash. Shapes follow the shared HTTP contract of issue 8.
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
