import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { allow } from '../auth/allow.js'
import type { z } from 'zod'
import type { AppDeps } from '../db/deps.js'
import { resolveFilter, visibleFeatureResource } from '../selection/resolve.js'
import { scopeOf } from '../selection/scope.js'
import { siteOrigin } from '../http/origin.js'
import { AppError, badRequest, notFound } from '../http/errors.js'
import { validate } from '../http/validate.js'
import type { DataResource } from '../domain/types.js'
import type { Bbox, Geometry } from '../geo/geometry.js'
import { KIND_LABELS, RISK_LABELS, collectionDefs, collectionFacts, countFromSummary, fallbackBbox, type CollectionDef, type CollectionFacts } from './collections.js'
import { allowedKeys, collectionParam, featureParam, itemQuerySchema, itemsQuerySchema, metadataQuerySchema } from './params.js'
import { Cursors, queryKey } from './paging.js'
import { countItems, featuresVersion, itemsPage, listDomains, ogcFeatureById, subcategoryNames, type ItemsQuery, type OgcFeatureRow } from './queries.js'

/** The OGC API – Features prefix under the site's origin. */
const OGC_PREFIX = '/api/ogc'

const JSON_TYPE = 'application/json'
const GEOJSON_TYPE = 'application/geo+json'
const SCHEMA_TYPE = 'application/schema+json'
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'
const GREGORIAN = 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian'
const CONFORMANCE_CLASSES = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
]
/** Above this many matches, a page walks the table in id order instead of sorting the matches. */
const SCAN_THRESHOLD = 20_000

interface Link { href: string; rel: string; type: string; title?: string }

/** Refuses parameters a strict schema does not know, naming the first one (/rec/core/query-param-unknown). */
function knownParameters(schema: z.ZodObject): MiddlewareHandler {
  const allowed = allowedKeys(schema)
  return async (c, next) => {
    const unknown = Object.keys(c.req.queries()).filter((k) => !allowed.has(k))
    if (unknown.length) {
      throw new AppError(400, 'invalid_parameter', `unknown parameter ${unknown[0]}; allowed: ${[...allowed].join(', ')}`, { parameter: unknown[0], unknown })
    }
    await next()
  }
}

/** Repeated parameters (`limit=1&limit=2`) are ambiguous: 400 naming the parameter. */
const singleValued: MiddlewareHandler = async (c, next) => {
  for (const [k, v] of Object.entries(c.req.queries())) if (v.length > 1) throw badRequest(k, `parameter ${k} is given ${v.length} times`)
  await next()
}

function geojson(c: Context, body: unknown): Response {
  c.header('Content-Type', GEOJSON_TYPE)
  return c.body(JSON.stringify(body))
}

/** Flat properties, the same set on every feature, so GDAL and QGIS build useful attribute columns from the first page. */
function featureOf(row: OgcFeatureRow, resource: DataResource, subcategories: Map<string, string>, domains: Map<string, string>) {
  return {
    type: 'Feature' as const,
    id: row.id,
    geometry: JSON.parse(row.geometry) as Geometry,
    properties: {
      name: row.name,
      kind: row.kind,
      kindLabel: KIND_LABELS.get(row.kind) ?? row.kind,
      riskLevel: row.risk_level,
      riskLabel: row.risk_level ? (RISK_LABELS.get(row.risk_level) ?? row.risk_level) : null,
      department: resource.departmentId,
      departmentName: resource.departmentName,
      systemId: resource.systemId,
      systemName: resource.systemName,
      resourceId: resource.id,
      resourceName: resource.name,
      domain: resource.domainCode,
      domainName: domains.get(resource.domainCode) ?? '',
      subcategory: resource.subcategoryCode,
      subcategoryName: subcategories.get(resource.subcategoryCode) ?? '',
      sensitivity: resource.sensitivity,
      impactRadiusM: row.impact_radius_m,
      capacity: row.capacity,
      capacityUnit: row.capacity_unit,
      districtCode: row.district_code,
      cellId: row.cell_id,
      updatedAt: row.updated_at,
      // Nested objects vary per feature; as JSON text they stay one column each.
      indicators: row.indicators,
      attributes: row.attributes,
    },
  }
}

/** Type of each property of featureOf (nullable ones may also be null). */
const PROPERTY_TYPES: Record<string, { type: 'string' | 'integer' | 'number'; format?: string; title: string }> = {
  name: { type: 'string', title: '名称' },
  kind: { type: 'string', title: '要素类型代码' },
  kindLabel: { type: 'string', title: '要素类型' },
  riskLevel: { type: 'string', title: '风险等级代码' },
  riskLabel: { type: 'string', title: '风险等级' },
  department: { type: 'integer', title: '部门编号' },
  departmentName: { type: 'string', title: '数据资源提供方' },
  systemId: { type: 'integer', title: '业务系统编号' },
  systemName: { type: 'string', title: '所属业务系统' },
  resourceId: { type: 'integer', title: '数据资源编号' },
  resourceName: { type: 'string', title: '数据资源名称' },
  domain: { type: 'string', title: '领域代码' },
  domainName: { type: 'string', title: '领域' },
  subcategory: { type: 'string', title: '子类代码' },
  subcategoryName: { type: 'string', title: '子类' },
  sensitivity: { type: 'string', title: '敏感级别' },
  impactRadiusM: { type: 'number', title: '影响范围（米）' },
  capacity: { type: 'number', title: '容量' },
  capacityUnit: { type: 'string', title: '容量单位' },
  districtCode: { type: 'string', title: '行政区划代码' },
  cellId: { type: 'integer', title: '网格编号' },
  updatedAt: { type: 'string', format: 'date-time', title: '更新时间' },
  indicators: { type: 'string', title: '风险指标（JSON）' },
  attributes: { type: 'string', title: '其他属性（JSON）' },
}

/** The JSON Schema of a collection's features (the `describedby` link). */
function featureSchema(id: string, title: string) {
  return {
    $schema: 'https://json-schema.org/draft/2019-09/schema',
    $id: id,
    title,
    type: 'object',
    required: ['type', 'id', 'geometry', 'properties'],
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: 'integer' },
      geometry: { type: 'object', title: 'GeoJSON 几何（WGS84 经纬度）' },
      properties: { type: 'object', properties: PROPERTY_TYPES },
    },
  }
}

/**
 * OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0) over the map's features: a collection per
 * feature kind and per domain, with the viewer's sensitivity rules applied to items, counts and extents.
 */
export function ogcRoutes(deps: AppDeps) {
  const { db } = deps
  const cursors = new Cursors()
  // Desktop GIS clients ask for credentials when a 401 names the scheme.
  const ogcAccess = allow('public-read', { basicChallenge: true })
  const base = (c: Context) => `${siteOrigin(c, deps.trustProxy ?? false)}${OGC_PREFIX}`

  function collectionJson(c: Context, def: CollectionDef, facts: CollectionFacts, fallback: Bbox | null) {
    const root = base(c)
    const bbox = facts.bbox ?? fallback
    return {
      id: def.id,
      title: def.title,
      description: def.description,
      links: [
        { href: `${root}/collections/${def.id}`, rel: 'self', type: JSON_TYPE, title: def.title },
        { href: `${root}/collections/${def.id}/items`, rel: 'items', type: GEOJSON_TYPE, title: `${def.title}要素` },
        // GDAL's OAPIF driver types the attribute columns from this instead of guessing from the first page.
        { href: `${root}/collections/${def.id}/schema`, rel: 'describedby', type: SCHEMA_TYPE, title: '要素属性定义（JSON Schema）' },
      ] satisfies Link[],
      extent: {
        ...(bbox ? { spatial: { bbox: [bbox], crs: CRS84 } } : {}),
        ...(facts.interval ? { temporal: { interval: [facts.interval], trs: GREGORIAN } } : {}),
      },
      itemType: 'feature',
      crs: [CRS84],
      /** Not part of the standard: how many features the viewer may see. */
      itemCount: facts.count,
    }
  }

  async function describeCollections(c: Context) {
    const scope = scopeOf(c)
    const { resources, filter } = await resolveFilter(deps, {}, scope)
    const defs = await collectionDefs(db)
    return { defs, facts: await collectionFacts(db, defs, resources, filter.kind, filter.risk, true), fallback: await fallbackBbox(db) }
  }

  async function findCollection(id: string): Promise<CollectionDef> {
    const def = (await collectionDefs(db)).find((d) => d.id === id)
    if (!def) throw new AppError(404, 'not_found', `collection ${id} does not exist`, { collectionId: id })
    return def
  }

  function landing(c: Context) {
    const root = base(c)
    const origin = siteOrigin(c, deps.trustProxy ?? false)
    return c.json({
      title: '城市安全数据资源一张图 · OGC API – Features',
      description: '城市安全风险要素（风险点、危险源、监测点、设施、管网、重点防护目标、应急资源）按要素类型和领域分为图层，供 QGIS、ArcGIS Pro 和 GDAL 读取；仅返回当前用户有权查看的数据。',
      links: [
        { href: root, rel: 'self', type: JSON_TYPE, title: '本页' },
        { href: `${origin}/api/openapi.json`, rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.0', title: 'OpenAPI 3.0 接口定义' },
        { href: `${origin}/api/docs`, rel: 'service-doc', type: 'text/html', title: '接口文档' },
        { href: `${root}/conformance`, rel: 'conformance', type: JSON_TYPE, title: '符合的标准类' },
        { href: `${root}/collections`, rel: 'data', type: JSON_TYPE, title: '图层（要素集合）' },
      ] satisfies Link[],
    })
  }

  return new Hono()
    // `/api/ogc/` is the same landing page: clients are pasted either form of the URL.
    .use('/*', async (c, next) => {
      if ((c.req.method === 'GET' || c.req.method === 'HEAD') && c.req.path === `${OGC_PREFIX}/`) {
        await ogcAccess(c, async () => {
          c.res = landing(c)
        })
        return c.res
      }
      await next()
    })
    .get('/', ogcAccess, validate('query', metadataQuerySchema), (c) => landing(c))
    .get('/conformance', ogcAccess, validate('query', metadataQuerySchema), (c) => c.json({ conformsTo: CONFORMANCE_CLASSES }))
    .get('/collections', ogcAccess, validate('query', metadataQuerySchema), async (c) => {
      const { defs, facts, fallback } = await describeCollections(c)
      const root = base(c)
      return c.json({
        links: [{ href: `${root}/collections`, rel: 'self', type: JSON_TYPE, title: '图层（要素集合）' }] satisfies Link[],
        collections: defs.map((d) => collectionJson(c, d, facts.get(d.id)!, fallback)),
      })
    })
    .get('/collections/:collectionId', ogcAccess, validate('param', collectionParam), validate('query', metadataQuerySchema), async (c) => {
      const def = await findCollection(c.req.valid('param').collectionId)
      const { facts, fallback } = await describeCollections(c)
      return c.json(collectionJson(c, def, facts.get(def.id)!, fallback))
    })
    .get('/collections/:collectionId/schema', ogcAccess, validate('param', collectionParam), validate('query', metadataQuerySchema), async (c) => {
      const def = await findCollection(c.req.valid('param').collectionId)
      c.header('Content-Type', SCHEMA_TYPE)
      return c.body(JSON.stringify(featureSchema(`${base(c)}/collections/${def.id}/schema`, def.title)))
    })
    .get('/collections/:collectionId/items', ogcAccess, validate('param', collectionParam), singleValued, knownParameters(itemsQuerySchema), validate('query', itemsQuerySchema), async (c) => {
      const def = await findCollection(c.req.valid('param').collectionId)
      const p = c.req.valid('query')
      const resolved = await resolveFilter(deps, { ...def.filter, department: p.department, subcategory: p.subcategory, risk: p.riskLevel as never }, scopeOf(c))
      const f = resolved.filter
      const q: ItemsQuery = {
        resourceIds: resolved.resourceIds,
        kind: f.kind?.length ? [...f.kind] : null,
        risk: f.risk?.length ? [...f.risk] : null,
        bbox: p.bbox ?? null,
        time: p.datetime ?? null,
      }
      const key = queryKey(await featuresVersion(db), q)
      const matched = q.bbox || q.time ? await cursors.count(key, () => countItems(db, q)) : await countFromSummary(db, q)
      const scan = matched > SCAN_THRESHOLD
      const afterId = cursors.afterIdAt(key, p.offset)
      const rows = p.offset >= matched ? [] : await itemsPage(db, q, { afterId, offset: p.offset, limit: p.limit, scan })
      if (rows.length) cursors.remember(key, p.offset + rows.length, rows[rows.length - 1]!.id)

      const byId = new Map(resolved.resources.map((r) => [r.id, r]))
      const subcategories = await subcategoryNames(db)
      const domains = new Map((await listDomains(db)).map((d) => [d.code, d.name]))
      const features = rows.flatMap((r) => {
        const resource = byId.get(r.resource_id)
        return resource ? [featureOf(r, resource, subcategories, domains)] : []
      })

      const self = new URL(c.req.url)
      const at = (offset: number) => {
        const u = new URL(`${base(c)}/collections/${def.id}/items`)
        for (const [k, v] of self.searchParams) if (k !== 'offset' && k !== 'limit') u.searchParams.set(k, v)
        u.searchParams.set('limit', String(p.limit))
        u.searchParams.set('offset', String(offset))
        return u.toString()
      }
      const links: Link[] = [
        { href: `${base(c)}/collections/${def.id}/items${self.search}`, rel: 'self', type: GEOJSON_TYPE, title: '本页' },
        { href: `${base(c)}/collections/${def.id}`, rel: 'collection', type: JSON_TYPE, title: def.title },
      ]
      if (p.offset + features.length < matched && features.length > 0) links.push({ href: at(p.offset + features.length), rel: 'next', type: GEOJSON_TYPE, title: '下一页' })
      if (p.offset > 0) links.push({ href: at(Math.max(0, p.offset - p.limit)), rel: 'prev', type: GEOJSON_TYPE, title: '上一页' })
      return geojson(c, {
        type: 'FeatureCollection',
        features,
        numberMatched: matched,
        numberReturned: features.length,
        timeStamp: deps.now().toISOString(),
        links,
      })
    })
    .get('/collections/:collectionId/items/:featureId', ogcAccess, validate('param', featureParam), singleValued, knownParameters(itemQuerySchema), validate('query', itemQuerySchema), async (c) => {
      const { collectionId, featureId } = c.req.valid('param')
      const def = await findCollection(collectionId)
      const missing = () => notFound('feature', featureId)
      if (!/^[1-9][0-9]{0,15}$/.test(featureId)) throw missing()
      const row = await ogcFeatureById(db, Number(featureId))
      if (!row) throw missing()
      // A feature of a resource the viewer may not see, or outside a wall screen's filter, does not exist for them.
      const resource = await visibleFeatureResource(deps, scopeOf(c), { resourceId: row.resource_id, kind: row.kind, riskLevel: row.risk_level })
      if (!resource) throw missing()
      if (!def.holds(row.kind, resource.domainCode)) throw missing()
      const domains = new Map((await listDomains(db)).map((d) => [d.code, d.name]))
      const root = base(c)
      return geojson(c, {
        ...featureOf(row, resource, await subcategoryNames(db), domains),
        links: [
          { href: `${root}/collections/${def.id}/items/${row.id}`, rel: 'self', type: GEOJSON_TYPE, title: row.name },
          { href: `${root}/collections/${def.id}`, rel: 'collection', type: JSON_TYPE, title: def.title },
        ] satisfies Link[],
      })
    })
}
