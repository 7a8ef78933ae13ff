/**
 * The OpenAPI 3.0.3 document of the API, generated from the app's route table: every registered
 * method + path is an operation, and the zod schema of each of its `validate()` middlewares becomes its
 * parameters or request body (zod 4's own JSON Schema output, OpenAPI 3.0 dialect, input side).
 * Summaries, tags and answers come from operations.ts.
 */
import { readFileSync } from 'node:fs'
import type { ZodType } from 'zod'
import { ENUMS, type EnumEntry } from '../domain/enums.js'
import { validationOf, type Validation } from '../http/validate.js'
import { PRODUCT_TITLE } from '../meta/routes.js'
import { MEDIA, OPERATIONS, PARAMETER_TEXT, TAGS, type OperationDoc } from './operations.js'
import { accessRuleOf, type AccessLevel, type AccessRule } from '../auth/allow.js'
import { COMPONENT_SCHEMAS, jsonSchemaOf, type JsonSchema } from './schemas.js'

/** One entry of a Hono app's `routes`. */
export interface RouteLike {
  method: string
  path: string
  handler: unknown
}

/** An operation of the API as the app registers it: its handlers' validations, in order. */
export interface ApiRoute {
  key: string
  method: string
  path: string
  validations: Validation[]
  /** Who may call it, from the route's allow() (undefined when it has none: createApp refuses to start). */
  access?: AccessRule
}

export interface OpenApiParameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required: boolean
  description?: string
  schema: JsonSchema
  style?: 'form'
  explode?: boolean
}

export interface OpenApiOperation {
  operationId: string
  summary: string
  description: string
  tags: string[]
  security: Record<string, string[]>[]
  parameters?: OpenApiParameter[]
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> }
  responses: Record<string, JsonSchema>
  /** Who may call it, in words (the reference page shows this). */
  'x-access': AccessLevel
}

export interface OpenApiDocument {
  openapi: '3.0.3'
  info: { title: string; version: string; description: string }
  tags: { name: string; description: string }[]
  paths: Record<string, Record<string, OpenApiOperation>>
  components: {
    schemas: Record<string, JsonSchema>
    responses: Record<string, JsonSchema>
    securitySchemes: Record<string, JsonSchema>
  }
}

// Hono keeps a sub-app's handler here when it wraps it in the sub-app's own error handler.
const COMPOSED_HANDLER = '__COMPOSED_HANDLER'

function validationOfHandler(handler: unknown): Validation | undefined {
  return validationOf(handler) ?? validationOf((handler as Record<string, unknown> | null)?.[COMPOSED_HANDLER])
}

/**
 * The operations of the API among an app's routes: methods other than ALL on paths under /api/ with no
 * wildcard (wildcards are middleware and the not-found fallback), each with its validations.
 */
export function apiRoutes(routes: readonly RouteLike[]): ApiRoute[] {
  const byKey = new Map<string, ApiRoute>()
  for (const r of routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/api/') || r.path.includes('*')) continue
    const key = `${r.method} ${r.path}`
    let route = byKey.get(key)
    if (!route) byKey.set(key, (route = { key, method: r.method, path: r.path, validations: [] }))
    const v = validationOfHandler(r.handler)
    if (v) route.validations.push(v)
    route.access ??= accessRuleOf(r.handler) ?? accessRuleOf((r.handler as Record<string, unknown> | null)?.[COMPOSED_HANDLER])
  }
  return [...byKey.values()]
}

/** Routes with no entry in the table, and entries with no route: both must be empty. */
export function documentationGaps(routes: readonly RouteLike[], table: Record<string, OperationDoc> = OPERATIONS) {
  const keys = new Set(apiRoutes(routes).map((r) => r.key))
  return {
    undocumented: [...keys].filter((k) => !(k in table)),
    stale: Object.keys(table).filter((k) => !keys.has(k)),
  }
}

/** Hono's `/api/x/:id` (optionally `:id{regex}` or `:id?`) as OpenAPI's `/api/x/{id}`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, '{$1}')
}

function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!)
}

const ENUM_TABLES = Object.values(ENUMS) as readonly (readonly EnumEntry[])[]
const KNOWN_CODES = [...new Set(ENUM_TABLES.flatMap((t) => t.map((e) => e.code)))]
/** No enumeration has this code, and no free-text parameter refuses it. */
const PROBE_NONSENSE = 'zz-not-a-code'

/** The enumeration table that holds all these codes, for their Chinese labels. */
function tableOf(codes: readonly unknown[]): readonly EnumEntry[] | undefined {
  return ENUM_TABLES.find((t) => codes.every((c) => t.some((e) => e.code === c)))
}

function withLabels(description: string, codes: readonly unknown[]): string {
  const table = tableOf(codes)
  if (!table) return description
  const labels = codes.map((c) => `${String(c)} ${table.find((e) => e.code === c)!.label}`).join('、')
  return `${description ? `${description}。` : ''}可选值：${labels}`
}

/**
 * A query or path property, described by what its zod schema does. Our comma-separated filters are
 * strings split and checked by a transform and a refinement, which JSON Schema cannot express: they are
 * recognised by parsing sample values (the output is an array), and their allowed codes by which codes
 * of server/domain/enums.ts the schema accepts while refusing a code that exists nowhere.
 */
function describeProperty(prop: ZodType | undefined, json: JsonSchema): { schema: JsonSchema; list: boolean } {
  if (!prop || json.type !== 'string' || json.enum) return { schema: json, list: false }
  const accepts = (v: string) => prop.safeParse(v).success
  const found = KNOWN_CODES.filter(accepts)
  // In the order of their enumeration table, not of first appearance across tables.
  const table = tableOf(found)
  const accepted = table ? table.map((e) => e.code).filter((c) => found.includes(c)) : found
  const closed = accepted.length > 0 && !accepts(PROBE_NONSENSE)
  const sample = accepted[0] ?? (accepts('1') ? '1' : undefined)
  const parsed = sample === undefined ? undefined : prop.safeParse(sample)
  const list = parsed?.success === true && Array.isArray(parsed.data)
  const { default: _default, ...rest } = json
  if (list) {
    const first = (parsed!.data as unknown[])[0]
    const items: JsonSchema = closed ? { type: 'string', enum: accepted } : typeof first === 'number' ? { type: 'integer', minimum: 1 } : { type: 'string' }
    return { schema: { type: 'array', items, ...(_default !== undefined ? { default: _default } : {}) }, list: true }
  }
  if (closed) return { schema: { ...rest, enum: accepted, ...(_default !== undefined ? { default: _default } : {}) }, list: false }
  return { schema: json, list: false }
}

function shapeOf(schema: ZodType): Record<string, ZodType> {
  const shape = (schema as unknown as { shape?: Record<string, ZodType> }).shape
  return shape && typeof shape === 'object' ? shape : {}
}

/** The parameters a zod object schema declares for one location. */
function parametersOf(schema: ZodType, location: OpenApiParameter['in'], doc: OperationDoc | undefined): OpenApiParameter[] {
  const json = jsonSchemaOf(schema)
  const props = (json.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((json.required ?? []) as string[])
  const shape = shapeOf(schema)
  return Object.entries(props).map(([name, prop]) => {
    const { schema: described, list } = describeProperty(shape[name], prop)
    const text = doc?.params?.[name] ?? PARAMETER_TEXT[name] ?? ''
    const codes = (list ? (described.items as JsonSchema).enum : described.enum) as unknown[] | undefined
    const description = codes ? withLabels(text, codes) : text
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: described,
      ...(list ? { style: 'form' as const, explode: false } : {}),
    }
  })
}

const LOCATIONS: Partial<Record<Validation['target'], OpenApiParameter['in']>> = { param: 'path', query: 'query', header: 'header', cookie: 'cookie' }
const BODY_MEDIA: Partial<Record<Validation['target'], string>> = { json: 'application/json', form: 'multipart/form-data' }

/** Error answers, shared as components/responses. */
const ERROR_RESPONSES: Record<number, { name: string; description: string }> = {
  400: { name: 'BadRequest', description: '参数错误：error.details.parameter 指出出错的参数，details.issues 列出每一处问题' },
  401: { name: 'Unauthenticated', description: '未登录，或凭据（会话、令牌、密钥）无效' },
  403: { name: 'Forbidden', description: '无权限：角色或部门不允许，或缺少、错误的 CSRF 令牌' },
  404: { name: 'NotFound', description: '不存在，或当前用户无权查看' },
  409: { name: 'Conflict', description: '与现有数据冲突（重名、仍在使用、预览后目录已变化等）' },
  413: { name: 'TooLarge', description: '请求体或文件超过大小上限' },
  415: { name: 'UnsupportedMediaType', description: '请求体须为 application/json' },
  422: { name: 'Unprocessable', description: '内容有错误，未写入任何数据；error.details 列出每一处问题' },
  429: { name: 'RateLimited', description: '请求过于频繁；error.details.retryAfter 为需要等待的秒数' },
}

const READ_SECURITY: Record<string, string[]>[] = [{ sessionCookie: [] }, { personalToken: [] }, { personalTokenBasic: [] }]
const SESSION_SECURITY: Record<string, string[]>[] = [{ sessionCookie: [] }]
const CHANGE_SECURITY: Record<string, string[]>[] = [{ sessionCookie: [], csrfToken: [] }]

/** The security requirement of a route's access level (an empty object: may also be called without credentials). */
function securityOf(level: AccessLevel, method: string): Record<string, string[]>[] {
  const changes = method !== 'GET'
  switch (level) {
    case 'open': case 'sign-in': return []
    case 'public-read': return [...READ_SECURITY, {}]
    case 'read': return READ_SECURITY
    case 'account': case 'admin': return changes ? CHANGE_SECURITY : SESSION_SECURITY
    case 'session': return [...CHANGE_SECURITY, {}]
    case 'write': return CHANGE_SECURITY
    case 'ingest': return [{ ingestKey: [] }]
    case 'federation': return [{ federationToken: [] }]
  }
}

const SECURITY_SCHEMES: Record<string, JsonSchema> = {
  sessionCookie: {
    type: 'apiKey', in: 'cookie', name: 'csa_session',
    description: '登录（POST /api/auth/sign-in）后由服务器设置的会话 Cookie。修改数据的请求（POST、PUT、DELETE）还须在 X-CSRF-Token 头中带上会话的 CSRF 令牌（见 GET /api/auth/session）。The session cookie; state-changing requests also need the X-CSRF-Token header.',
  },
  csrfToken: {
    type: 'apiKey', in: 'header', name: 'X-CSRF-Token',
    description: '会话的 CSRF 令牌，登录或 GET /api/auth/session 时返回；所有修改数据的请求都必须带上。The session\'s CSRF token, required on every state-changing request.',
  },
  personalToken: {
    type: 'http', scheme: 'bearer', bearerFormat: 'csa_pat_…',
    description: '个人访问令牌：Authorization: Bearer csa_pat_…。只能用于只读的 GET 请求，权限与令牌所属用户相同。A personal access token, for read-only GET requests.',
  },
  personalTokenBasic: {
    type: 'http', scheme: 'basic',
    description: 'HTTP Basic，密码为个人访问令牌（供只支持用户名密码的客户端，如 QGIS、GDAL）。只读。HTTP Basic with the personal access token as password; read-only.',
  },
  federationToken: {
    type: 'http', scheme: 'bearer', bearerFormat: 'csa_fed_…',
    description: '区县管理员签发给市级平台的联邦令牌：Authorization: Bearer csa_fed_…，只用于 /api/federation/* 的只读请求，可见范围为令牌的共享范围（公开，或公开 + 内部）。A federation token, for harvesting this atlas.',
  },
  ingestKey: {
    type: 'http', scheme: 'bearer', bearerFormat: 'csa_…',
    description: '业务系统的接口密钥：Authorization: Bearer csa_…，只用于 POST /api/ingest/updates。A system\'s API key, only for POST /api/ingest/updates.',
  },
}

function operationIdOf(method: string, path: string): string {
  const words = path.replace(/^\/api\//, '').split('/').flatMap((seg) => {
    const param = /^:([A-Za-z0-9_]+)/.exec(seg)
    if (param) return ['by', param[1]!]
    return seg.split(/[^A-Za-z0-9]+/).filter(Boolean)
  })
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')
}

function successResponse(doc: OperationDoc | undefined): [string, JsonSchema] {
  const ok = doc?.ok ?? {}
  const status = ok.status ?? 200
  if (status === 204) return ['204', { description: ok.description ?? '成功，无内容' }]
  const media = ok.media ?? 'json'
  const named = ok.schema ? { $ref: `#/components/schemas/${ok.schema}` } : undefined
  let content: Record<string, { schema: JsonSchema }>
  switch (media) {
    case 'jsonschema': content = { [MEDIA.jsonschema]: { schema: { type: 'object' } } }; break
    case 'xlsx': case 'mvt': content = { [MEDIA[media]]: { schema: { type: 'string', format: 'binary' } } }; break
    case 'html': content = { [MEDIA.html]: { schema: { type: 'string' } } }; break
    case 'openapi': content = { [MEDIA.openapi]: { schema: { type: 'object' } }, [MEDIA.json]: { schema: { type: 'object' } } }; break
    default: content = { [MEDIA[media]]: { schema: named ?? { $ref: '#/components/schemas/Object' } } }
  }
  return [String(status), { description: ok.description ?? (status === 201 ? '已创建' : '成功'), content }]
}

function operationOf(route: ApiRoute, doc: OperationDoc | undefined): OpenApiOperation {
  const access: AccessLevel = route.access?.level ?? 'open'
  const parameters: OpenApiParameter[] = []
  let requestBody: OpenApiOperation['requestBody']
  for (const v of route.validations) {
    const location = LOCATIONS[v.target]
    if (location) parameters.push(...parametersOf(v.schema, location, doc))
    const media = BODY_MEDIA[v.target]
    if (media) requestBody = { required: true, content: { [media]: { schema: jsonSchemaOf(v.schema) } } }
  }
  if (doc?.manual?.query) parameters.push(...parametersOf(doc.manual.query, 'query', doc))
  if (doc?.manual?.body) requestBody = { required: true, content: { [doc.manual.body.media]: { schema: doc.manual.body.schema } } }
  // Every {name} of the path must be declared, also those the handler checks itself.
  for (const name of pathParameterNames(route.path)) {
    if (parameters.some((p) => p.in === 'path' && p.name === name)) continue
    const text = doc?.params?.[name] ?? PARAMETER_TEXT[name]
    parameters.unshift({ name, in: 'path', required: true, ...(text ? { description: text } : {}), schema: doc?.manual?.path?.[name] ?? { type: 'string' } })
  }

  const errors = new Set(doc?.errors ?? [])
  if (parameters.length || requestBody) errors.add(400)
  if (access !== 'open' && access !== 'sign-in') errors.add(401).add(403)
  if (pathParameterNames(route.path).length) errors.add(404)
  if (requestBody && route.method !== 'GET') errors.add(413)
  const [okStatus, okResponse] = successResponse(doc)
  const responses: Record<string, JsonSchema> = { [okStatus]: okResponse }
  for (const status of [...errors].sort((a, b) => a - b)) {
    const known = ERROR_RESPONSES[status]
    responses[String(status)] = known
      ? { $ref: `#/components/responses/${known.name}` }
      : { description: `错误 ${status}`, content: { [MEDIA.json]: { schema: { $ref: '#/components/schemas/Error' } } } }
  }

  return {
    operationId: operationIdOf(route.method, route.path),
    summary: doc?.summary ?? `（缺少说明）${route.key}`,
    description: doc?.description ?? '',
    tags: [doc?.tag ?? 'undocumented'],
    security: securityOf(access, route.method),
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
    'x-access': access,
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '0.0.0'
  } catch {
    return '0.0.0'
  }
}

/** The OpenAPI 3.0.3 document of the operations among `routes`. */
export function buildOpenApiDocument(routes: readonly RouteLike[], table: Record<string, OperationDoc> = OPERATIONS): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {}
  const usedIds = new Set<string>()
  const usedTags = new Set<string>()
  for (const route of apiRoutes(routes)) {
    const op = operationOf(route, table[route.key])
    // Two Hono paths can differ only in a parameter's pattern; operationIds must still be unique.
    let n = 2
    const base = op.operationId
    while (usedIds.has(op.operationId)) op.operationId = `${base}${n++}`
    usedIds.add(op.operationId)
    usedTags.add(op.tags[0]!)
    const path = openApiPath(route.path)
    ;(paths[path] ??= {})[route.method.toLowerCase()] = op
  }
  const tags: { name: string; description: string }[] = TAGS.filter((t) => usedTags.has(t.name)).map((t) => ({ name: t.name, description: t.description }))
  if (usedTags.has('undocumented')) tags.push({ name: 'undocumented', description: '尚未编写说明的接口' })

  return {
    openapi: '3.0.3',
    info: {
      title: `${PRODUCT_TITLE} API`,
      version: packageVersion(),
      description: [
        '城市安全数据资源一张图的 HTTP API：目录、地图要素与矢量瓦片、统计、填报表格、分析研判与管理。',
        '本文档由各路由的 zod 校验规则自动生成，与服务器实际接受的参数一致。',
        '认证：浏览器用会话 Cookie（修改数据还须带 X-CSRF-Token 头）；脚本和 GIS 客户端可用个人访问令牌只读访问；业务系统用接口密钥推送更新。',
        '管理员开启“公开数据免登录访问”时，目录、地图和统计的只读接口对未登录访客开放，只返回“公开”级别的数据。',
        '错误统一为 {"error":{"code","message","details"}}，参数错误为 400 并指出参数名。',
        'The HTTP API of City Safety Atlas, generated from the zod schemas the routes validate with.',
      ].join('\n\n'),
    },
    tags,
    paths,
    components: {
      schemas: COMPONENT_SCHEMAS,
      responses: Object.fromEntries(Object.values(ERROR_RESPONSES).map((r) => [r.name, {
        description: r.description,
        content: { [MEDIA.json]: { schema: { $ref: '#/components/schemas/Error' } } },
      }])),
      securitySchemes: SECURITY_SCHEMES,
    },
  }
}
