import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { serveStatic } from '@hono/node-server/serve-static'
import { compress } from 'hono/compress'
import { readYourWrites } from './http/read-your-writes.js'
import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { AppDeps } from './db/deps.js'
import { AppError } from './http/errors.js'
import { catalogRoutes } from './catalog/routes.js'
import { editRoutes } from './forms/edit-routes.js'
import { formRoutes } from './forms/routes.js'
import { surveyRoutes } from './survey/routes.js'
import { geoRoutes } from './features/routes.js'
import { metaRoutes } from './meta/routes.js'
import { statsRoutes } from './stats/routes.js'
import { tileRoutes } from './tiles/routes.js'
import { supervisionRoutes } from './supervision/routes.js'
import { ingestRoutes } from './ingest/routes.js'
import { analysisRoutes } from './analysis/routes.js'
import { geodataRoutes } from './geodata/routes.js'
import { ogcRoutes } from './ogc/routes.js'
import { AccessControl, accessGate } from './auth/access-control.js'
import { authRoutes } from './auth/routes.js'
import { adminRoutes } from './admin/routes.js'
import { twoFactorRoutes } from './auth/two-factor-routes.js'
import { openapiRoutes } from './openapi/routes.js'
import { apiRoutes } from './openapi/generate.js'
import { requestLimits, securityHeaders } from './http/security.js'
import { federationRoutes } from './federation/routes.js'
import { harvestRoutes } from './harvest/routes.js'
import { cityRoutes } from './city/routes.js'
import { monitoringRoutes } from './monitoring/routes.js'
import { gradingRoutes } from './grading/routes.js'
import { basemapRoutes } from './basemap/routes.js'
import { assessmentImportRoutes } from './grading/import-routes.js'
import { onAlarmStep } from './monitoring/alarms.js'
import { applyAlarmToRisk } from './grading/alarm-inputs.js'

/** Builds the HTTP app: the API under /api and, when built, the web app with an SPA fallback. */
export function createApp(deps: AppDeps) {
  const access = new AccessControl(deps)
  // A confirmed alarm raises the likelihood of the risk points near it until it ends (grading/alarm-inputs.ts).
  onAlarmStep(applyAlarmToRisk)
  const api = new Hono()
    .route('/', metaRoutes(deps))
    .route('/', authRoutes(deps, access))
    .route('/', twoFactorRoutes(deps, access))
    .route('/', adminRoutes(deps, access))
    .route('/', formRoutes(deps))
    .route('/', surveyRoutes(deps))
    .route('/', editRoutes(deps))
    .route('/', catalogRoutes(deps))
    .route('/', geoRoutes(deps))
    .route('/stats', statsRoutes(deps))
    .route('/', tileRoutes(deps))
    .route('/supervision', supervisionRoutes(deps))
    .route('/', ingestRoutes(deps))
    .route('/analysis', analysisRoutes(deps))
    .route('/', geodataRoutes(deps))
    // The description of this API, generated from the finished app's routes (read on first request).
    .route('/', openapiRoutes(() => app.routes))
    .route('/ogc', ogcRoutes(deps))
    .route('/', federationRoutes(deps, access))
    .route('/', harvestRoutes(deps, access))
    .route('/', cityRoutes(deps))
    .route('/', monitoringRoutes(deps))
    .route('/', gradingRoutes(deps))
    .route('/', assessmentImportRoutes(deps))
    .route('/', basemapRoutes(deps))

  const app = new Hono()
  app.use('*', securityHeaders())
  app.use('/api/*', requestLimits())
  app.use('/api/*', accessGate(access))
  // A write is counted in this process's data versions before its answer goes out, so the writer's next
  // request includes it (other processes hear of it by notification). Nothing to do on SQLite.
  if (deps.db.replica) app.use('/api/*', readYourWrites(deps.db.replica, deps))
  if (deps.db.engine === 'postgres') {
    app.use('/api/*', async (c, next) => {
      await next()
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') await deps.db.versions.refresh()
    })
  }
  app.use('/api/*', compress())
  const routed = app.route('/api', api)
  // Fail closed: every endpoint states who may call it, or the app does not start.
  const unstated = unstatedAccess(app.routes)
  if (unstated.length) throw new Error(`routes without allow(): ${unstated.join(', ')}`)
  app.all('/api/*', (c) => c.json({ error: { code: 'not_found', message: `no such endpoint: ${c.req.method} ${c.req.path}` } }, 404))

  const webRoot = deps.webRoot
  if (webRoot && existsSync(join(webRoot, 'index.html'))) {
    const indexHtml = readFileSync(join(webRoot, 'index.html'), 'utf8')
    const root = relative(process.cwd(), webRoot) || '.'
    app.use('/assets/*', async (c, next) => {
      await next()
      if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable')
    })
    app.use('*', serveStatic({ root }))
    // Client-side routes (/departments/3, /screen …) all load the app.
    app.get('*', (c) => c.html(indexHtml))
  }

  app.onError((err, c) => {
    if (err instanceof AppError) {
      return c.json({ error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } }, err.status)
    }
    if (err instanceof HTTPException) {
      const status = err.status
      return c.json({ error: { code: status === 413 ? 'too_large' : 'bad_request', message: err.message || 'bad request' } }, status)
    }
    console.error(err)
    return c.json({ error: { code: 'internal', message: 'internal server error' } }, 500)
  })
  return routed
}

/** The endpoints among `routes` that do not state who may call them with allow(). */
export function unstatedAccess(routes: Parameters<typeof apiRoutes>[0]): string[] {
  return apiRoutes(routes).filter((r) => !r.access).map((r) => r.key)
}

export type AppType = ReturnType<typeof createApp>
