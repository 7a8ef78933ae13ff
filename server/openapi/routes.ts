import { Hono } from 'hono'
import { allow } from '../auth/allow.js'
import { buildOpenApiDocument, type OpenApiDocument, type RouteLike } from './generate.js'
import { MEDIA } from './operations.js'
import { renderReferencePage } from './reference-page.js'

/** Whether a client asked for plain JSON rather than the OpenAPI media type (or anything). */
function wantsPlainJson(accept: string | undefined): boolean {
  if (!accept || /application\/vnd\.oai\.openapi/i.test(accept)) return false
  return /application\/json/i.test(accept)
}

/**
 * GET /openapi.json and GET /docs. `routes` is read on first use: the document describes the finished
 * app (the one createApp returns), which does not exist yet when these routes are mounted.
 */
export function openapiRoutes(routes: () => readonly RouteLike[]) {
  let document: { json: string; html: string } | null = null
  const built = () => {
    if (!document) {
      const doc: OpenApiDocument = buildOpenApiDocument(routes())
      document = { json: JSON.stringify(doc), html: renderReferencePage(doc) }
    }
    return document
  }
  return new Hono()
    .get('/openapi.json', allow('open'), (c) => {
      const type = wantsPlainJson(c.req.header('accept')) ? `${MEDIA.json}; charset=utf-8` : MEDIA.openapi
      c.header('Content-Type', type)
      c.header('Vary', 'Accept')
      return c.body(built().json)
    })
    .get('/docs', allow('open'), (c) => c.html(built().html))
}
