/**
 * What each operation of the API is for, keyed by "METHOD /api/path" exactly as Hono registers it
 * (`:id` style). Parameters and request bodies are not written here: the generator reads them from the
 * zod schemas of each route's `validate()` middleware. A route without an entry, or an entry without a
 * route, fails tests/server/openapi.test.ts, so the document cannot drift from the routes.
 */
import type { ZodType } from 'zod'
import { featureFilterSchema } from '../selection/filters.js'
import { MAX_TILE_ZOOM } from '../tiles/tile-math.js'
import { geodataFieldsSchema, geodataMappingSchema } from '../geodata/routes.js'
import { GEODATA_LIMITS } from '../geodata/limits.js'
import { ASSESSMENT_UPLOAD_BODY, FORM_UPLOAD_BODY, INGEST_ASSESSMENTS_BODY, INGEST_READINGS_BODY, INGEST_UPDATE_BODY, multipartUpload, type JsonSchema } from './schemas.js'

/** The modules of the API, in the order of the reference page. */
export const TAGS = [
  { name: 'meta', description: '元数据：分类体系、枚举与部门（Metadata: taxonomy, enumerations, departments）' },
  { name: 'auth', description: '登录、会话与大屏链接（Sign-in, session, kiosk links）' },
  { name: 'tokens', description: '个人访问令牌（Personal access tokens）' },
  { name: 'catalog', description: '目录：部门 → 系统 → 数据资源 → 数据项，检索（Catalog and search）' },
  { name: 'edit', description: '在线编辑系统与数据资源（On-screen editing）' },
  { name: 'forms', description: '填报表格：模板、先预览后确认的导入、导出（Survey forms）' },
  { name: 'survey', description: '摸排批次与各部门填报进度（Survey rounds）' },
  { name: 'map', description: '地图要素（GeoJSON）、行政区划与网格（Features and regions）' },
  { name: 'tiles', description: '矢量瓦片（Mapbox Vector Tiles）' },
  { name: 'geodata', description: '地理数据导入：GeoJSON、CSV、KML、Shapefile，坐标系转换（Geodata import）' },
  { name: 'ogc', description: 'OGC API – Features（供 QGIS、GDAL、ArcGIS 读取图层）' },
  { name: 'dcat', description: 'DCAT 目录导出（JSON-LD，供开放数据门户）' },
  { name: 'stats', description: '统计（Dashboard statistics）' },
  { name: 'supervision', description: '更新督办（Freshness supervision）' },
  { name: 'analysis', description: '分析研判（Analyses）' },
  { name: 'ingest', description: '接口推送与接口密钥（Ingest API and API keys）' },
  { name: 'admin', description: '系统管理：用户、大屏链接、审计日志、访问设置、部门（Administration）' },
  { name: 'federation', description: '区县 → 市级汇聚：汇聚令牌、供市级平台读取的只读接口（Federation, district side）' },
  { name: 'harvest', description: '市级平台的汇聚来源、任务与报告（Harvesting, city side）' },
  { name: 'city', description: '市级视图：各区县并列的填报进度、覆盖、时效与要素（The city\'s view of its districts）' },
  { name: 'monitoring', description: '运行监测与告警闭环：监测读数、告警规则、告警处置、实时事件流（Monitoring, alarms and live events）' },
  { name: 'grading', description: '风险评估与定级：评估模型（风险矩阵、LEC、指标加权）及其版本，风险点、危险源的评估记录（Risk grading）' },
  { name: 'docs', description: 'API 文档（This description）' },
] as const
export type Tag = (typeof TAGS)[number]['name']

/** Media types the API answers with. */
export const MEDIA = {
  json: 'application/json',
  geojson: 'application/geo+json',
  mvt: 'application/vnd.mapbox-vector-tile',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jsonld: 'application/ld+json',
  html: 'text/html',
  openapi: 'application/vnd.oai.openapi+json;version=3.0',
  jsonschema: 'application/schema+json',
  sse: 'text/event-stream',
  pmtiles: 'application/vnd.pmtiles',
} as const
export type Media = keyof typeof MEDIA

export interface OperationDoc {
  tag: Tag
  /** One line in Chinese. */
  summary: string
  /** What it does: Chinese, then English. */
  description: string
  /** The success answer; default 200 JSON. `schema` names a component schema. */
  ok?: { status?: 200 | 201 | 202 | 204; media?: Media; schema?: string; description?: string }
  /** Error statuses besides the ones the generator adds (400 for input, 401/403 unless open, 404 for path ids, 413 for bodies). */
  errors?: number[]
  /** Parameter descriptions for this operation (the common ones are in PARAMETER_TEXT). */
  params?: Record<string, string>
  /** For a handler that checks its input itself instead of with validate(): what it checks. */
  manual?: { query?: ZodType; path?: Record<string, JsonSchema>; body?: { media: string; schema: JsonSchema } }
}

/** Descriptions of parameters that mean the same wherever they occur. */
export const PARAMETER_TEXT: Record<string, string> = {
  id: '编号',
  domain: '领域代码，逗号分隔表示“任一”（见 GET /api/meta 的 domains）',
  subcategory: '子类代码，逗号分隔表示“任一”（见 GET /api/meta）',
  department: '部门编号，逗号分隔表示“任一”',
  district: '区县（市级平台）：区县代码如 500105，local 为本平台自有，source-编号 为 DCAT 来源；逗号分隔表示“任一”',
  system: '业务系统编号，逗号分隔',
  resource: '数据资源编号，逗号分隔',
  updateCycle: '更新周期，逗号分隔',
  sharingMode: '数据提供方式，逗号分隔',
  sensitivity: '敏感级别，逗号分隔',
  freshness: '更新状态（按时、将到期、逾期、从未更新、不考核），逗号分隔',
  q: '关键词（名称、数据项）',
  kind: '要素类型，逗号分隔',
  risk: '风险等级，逗号分隔',
  bbox: '空间范围 minLon,minLat,maxLon,maxLat（WGS84 经纬度）',
  page: '页码，从 1 开始',
  pageSize: '每页条数',
  limit: '最多返回条数',
  form: '表格：systems（附件2 系统调研表）或 resources（附件3 数据资源摸排表）',
}

/** The geodata upload, from the schemas its handler checks the form fields with. */
const GEODATA_UPLOAD_BODY = multipartUpload(geodataFieldsSchema, `空间数据文件：.geojson/.json、.csv、.kml、.kmz 或含 .shp/.dbf/.prj 的 .zip，最大 ${GEODATA_LIMITS.maxFileBytes / 1024 / 1024} MB`, {
  crs: '源坐标系；auto 时读取 .prj 或按 WGS84',
  encoding: 'CSV 和 .dbf 的文字编码',
  mapping: `字段对应，JSON 字符串，键为 ${Object.keys(geodataMappingSchema.shape).join('、')}：name/kind/risk/lon/lat/wkt 取文件中的列名，kindFixed 为所有要素统一的要素类型`,
  planHash: '确认导入时必填：预览返回的 planHash',
})
const readJson = (schema = 'Object'): OperationDoc['ok'] => ({ schema })

/** The table. Keep it in the order of server/app.ts. */
export const OPERATIONS: Record<string, OperationDoc> = {
  // meta
  'GET /api/health': {
    tag: 'meta', summary: '存活检查',
    description: '进程在运行并能应答时返回 200 和运行时长（秒）。Liveness: 200 while the process answers.',
  },
  'GET /api/ready': {
    tag: 'meta', summary: '就绪检查', errors: [503],
    description: '数据库可访问且结构为最新时返回 200；否则（或正在停止服务时）返回 503 并说明原因，负载均衡据此停止转发。Readiness: 200 when the database answers and its migrations are current; 503 with the reason otherwise, and while shutting down.',
  },
  'GET /api/meta': {
    tag: 'meta', summary: '分类体系、枚举与部门',
    description: '返回产品名称、四大领域及子类、所有枚举（代码与中文名）和部门列表，客户端据此绘制筛选条件。Taxonomy, every enumeration with its Chinese labels, and the departments.',
  },

  // auth
  'GET /api/auth/session': {
    tag: 'auth', summary: '当前会话', ok: readJson('SessionInfo'),
    description: '当前登录用户或大屏链接、CSRF 令牌与权限；未登录时 user 为 null。The current session, its CSRF token and permissions.',
  },
  'POST /api/auth/sign-in': {
    tag: 'auth', summary: '用户名密码登录', ok: readJson('SessionInfo'), errors: [401, 403, 415, 429],
    description: '成功后设置会话 Cookie csa_session 并返回 CSRF 令牌；启用两步验证的账户密码正确时返回 202 {"secondFactor":"totp","expiresInSeconds":300}，' +
      '并设置 5 分钟有效的 Cookie csa_sign_in，随后向 /api/auth/sign-in/code 提交验证码。失败后同一用户名的下一次尝试须等待 1、2、4…最多 20 秒，' +
      '同一地址失败较多时失败的答复会延迟；连续输错 5 次锁定 15 分钟；请求须为 application/json。' +
      'Signs in with a password; with two-factor sign-in the answer is 202 and the code follows.',
  },
  'POST /api/auth/sign-in/code': {
    tag: 'auth', summary: '两步验证：提交验证码', ok: readJson('SessionInfo'), errors: [401, 403, 415, 429], params: { code: '验证器应用显示的 6 位数字，或一个恢复码' },
    description: '密码正确后（Cookie csa_sign_in）提交 6 位验证码或一次性恢复码，正确则开始会话。每个验证码只能用一次；错误计入账户锁定次数，' +
      '每次登录最多 5 次，超时（5 分钟）或用尽后须重新输入密码。Completes a two-factor sign-in with a TOTP or recovery code.',
  },
  'POST /api/auth/sign-out': {
    tag: 'auth', summary: '退出登录', ok: { status: 204 },
    description: '结束当前会话并清除 Cookie。Ends the session.',
  },
  'POST /api/auth/password': {
    tag: 'auth', summary: '修改本人密码', ok: { status: 204 },
    description: '校验当前密码后设置新密码，并结束本人的其他会话。Changes the signed-in user\'s password.',
  },
  'GET /api/auth/two-factor': {
    tag: 'auth', summary: '我的两步验证状态',
    description: '是否已启用两步验证、是否必须启用（系统管理员）、剩余恢复码数量。The signed-in user\'s second factor.',
  },
  'POST /api/auth/two-factor/setup': {
    tag: 'auth', summary: '两步验证：生成密钥', errors: [409],
    description: '生成新的 TOTP 密钥，返回 otpauth:// 地址、Base32 文本和二维码（SVG data URL）；输入当前验证码确认后才启用。Creates a new authenticator key to confirm.',
  },
  'POST /api/auth/two-factor/enable': {
    tag: 'auth', summary: '两步验证：确认并启用', errors: [409], params: { code: '验证器应用当前显示的 6 位数字' },
    description: '用当前验证码确认密钥并启用两步验证，返回 10 个一次性恢复码（只返回这一次，服务端只保存其散列）。Turns two-factor sign-in on; the recovery codes are shown once.',
  },
  'POST /api/auth/two-factor/recovery-codes': {
    tag: 'auth', summary: '两步验证：重新生成恢复码', params: { code: '验证器应用当前显示的 6 位数字' },
    description: '输入当前验证码后生成新的 10 个恢复码，旧的全部作废。Replaces the recovery codes.',
  },
  'POST /api/auth/two-factor/disable': {
    tag: 'auth', summary: '两步验证：停用', ok: { status: 204 }, errors: [409], params: { password: '当前密码', code: '6 位验证码或一个恢复码' },
    description: '校验当前密码和验证码后停用两步验证；系统管理员不能停用。Turns two-factor sign-in off (not for administrators).',
  },
  'GET /api/auth/tokens': {
    tag: 'tokens', summary: '我的个人访问令牌', ok: readJson('Items'),
    description: '当前用户的个人访问令牌（只显示前缀、用途、有效期和最近使用时间）。The signed-in user\'s personal access tokens.',
  },
  'POST /api/auth/tokens': {
    tag: 'tokens', summary: '生成个人访问令牌', ok: { status: 201 }, errors: [409], params: { label: '用途', days: '有效期（天）' },
    description: '为 QGIS、GDAL 或脚本生成只读的个人访问令牌（csa_pat_…），完整令牌只返回这一次。Issues a read-only personal access token; shown once.',
  },
  'POST /api/auth/tokens/:id/revoke': {
    tag: 'tokens', summary: '撤销个人访问令牌', params: { id: '令牌编号' },
    description: '撤销后使用该令牌的客户端立即失效。Revokes one of the user\'s tokens.',
  },
  'POST /api/kiosk/open': {
    tag: 'auth', summary: '打开大屏链接', ok: readJson('SessionInfo'), errors: [401, 403, 415, 429],
    description: '用大屏链接中的令牌开启只读的大屏会话（只能查看地图和统计）。Opens a read-only wall-screen session from a kiosk link token.',
  },

  // admin
  'GET /api/admin/users': { tag: 'admin', summary: '用户列表', ok: readJson('Items'), description: '所有用户及其角色、部门、受限数据授权。Lists the users.' },
  'POST /api/admin/users': {
    tag: 'admin', summary: '新建用户', ok: { status: 201 }, errors: [409],
    description: '新建用户并设置初始密码（密码强度会被检查）。Creates a user.',
  },
  'PUT /api/admin/users/:id': {
    tag: 'admin', summary: '修改用户', errors: [409], params: { id: '用户编号' },
    description: '修改姓名、角色、部门、受限数据授权或停用；不能停用唯一的管理员。Changes a user.',
  },
  'POST /api/admin/users/:id/password': {
    tag: 'admin', summary: '重置用户密码', ok: { status: 204 }, params: { id: '用户编号' },
    description: '管理员为用户设置新密码。Resets a user\'s password.',
  },
  'POST /api/admin/users/:id/two-factor/reset': {
    tag: 'admin', summary: '重置两步验证', ok: { status: 204 }, errors: [409], params: { id: '用户编号' },
    description: '用户丢失手机时删除其验证器密钥和恢复码并结束其会话（记入审计日志）；系统管理员下次登录须重新启用。Resets a user\'s second factor.',
  },
  'POST /api/admin/users/:id/unlock': {
    tag: 'admin', summary: '解除锁定', ok: { status: 204 }, params: { id: '用户编号' },
    description: '解除因连续输错密码造成的锁定。Unlocks an account.',
  },
  'GET /api/admin/kiosk-links': { tag: 'admin', summary: '大屏链接列表', ok: readJson('Items'), description: '所有大屏链接及其最高密级、筛选条件和状态。Lists the kiosk links.' },
  'POST /api/admin/kiosk-links': {
    tag: 'admin', summary: '新建大屏链接', ok: { status: 201 },
    description: '生成可撤销的只读大屏链接（最高显示“内部”数据），返回一次性的完整令牌与路径。Creates a kiosk link.',
  },
  'POST /api/admin/kiosk-links/:id/revoke': {
    tag: 'admin', summary: '撤销大屏链接', params: { id: '大屏链接编号' },
    description: '撤销后使用该链接的大屏立即失效。Revokes a kiosk link.',
  },
  'GET /api/admin/audit': {
    tag: 'admin', summary: '审计日志', ok: readJson('Page'),
    params: { from: '起始日期 YYYY-MM-DD', to: '截止日期 YYYY-MM-DD', user: '用户名', action: '操作类型', result: '结果', q: '在对象和详情中查找' },
    description: '登录、拒绝、修改、导入、导出等操作的记录，分页。The audit log.',
  },
  'GET /api/admin/settings': { tag: 'admin', summary: '访问设置', description: '是否开启公开数据免登录访问。Access settings.' },
  'GET /api/basemap': {
    tag: 'admin', summary: '底图', description: '所有地图使用的底图：内置离线底图、上传的 PMTiles 文件、MapLibre 样式地址或栅格瓦片地址（由系统管理员设定，所有浏览器和大屏一致）。The basemap every map uses.',
  },
  'PUT /api/basemap': {
    tag: 'admin', summary: '设定底图', params: { type: 'embedded 内置、pmtiles 上传的文件、style 样式地址、raster 栅格瓦片', url: '样式地址或含 {z}/{x}/{y} 的瓦片地址' },
    description: '系统管理员选择底图；记入审计日志。Chooses the basemap.',
  },
  'PUT /api/basemap/file': {
    tag: 'admin', summary: '上传 PMTiles 底图文件', ok: { status: 201 }, errors: [409, 413, 429],
    manual: { body: { media: 'application/octet-stream', schema: { type: 'string', format: 'binary', description: 'PMTiles 第 3 版文件（请求头 X-File-Name 为 URL 编码的文件名）' } } },
    description: '以请求正文上传 PMTiles 文件（流式写入磁盘，最大 16 GB），检查文件头后保存在 BASEMAP_DIR；上传不改变当前底图，需再选择“PMTiles 文件”；记入审计日志。Uploads a PMTiles basemap.',
  },
  'DELETE /api/basemap/file': { tag: 'admin', summary: '删除 PMTiles 底图文件', description: '删除上传的底图文件；正在使用时改回内置底图；记入审计日志。Removes the PMTiles basemap.' },
  'GET /api/basemap/tiles.pmtiles': {
    tag: 'admin', summary: 'PMTiles 底图文件', ok: { media: 'pmtiles' }, errors: [416], params: { v: '版本（上传时间），用于缓存' },
    description: '上传的 PMTiles 底图，支持 HTTP Range 分段读取（浏览器的 pmtiles 协议按需读取目录和瓦片）。The PMTiles archive, by byte ranges.',
  },
  'PUT /api/admin/settings': { tag: 'admin', summary: '修改访问设置', description: '开启或关闭公开数据免登录访问。Changes the access settings.' },
  'POST /api/departments': {
    tag: 'admin', summary: '新建部门', ok: { status: 201, schema: 'Created' }, errors: [409],
    description: '管理员新增数据资源提供部门。Creates a department.',
  },
  'PUT /api/departments/:id': {
    tag: 'admin', summary: '修改部门名称', ok: readJson('Created'), errors: [409], params: { id: '部门编号' },
    description: '修改部门全称和简称。Renames a department.',
  },
  'DELETE /api/departments/:id': {
    tag: 'admin', summary: '删除部门', ok: { status: 204 }, errors: [409], params: { id: '部门编号' },
    description: '删除没有系统和用户的部门。Deletes an unused department.',
  },

  // forms
  'GET /api/forms/:form/template.xlsx': {
    tag: 'forms', summary: '下载填报模板', ok: { media: 'xlsx', description: 'Excel 模板（带下拉选项）' },
    params: { department: '部门编号；给出时模板预填该部门已填报的内容' },
    description: '附件2 或附件3 的官方表格模板，带下拉选项。The official form as an Excel template.',
  },
  'GET /api/forms/:form/export.xlsx': {
    tag: 'forms', summary: '按官方表格导出', ok: { media: 'xlsx', description: 'Excel 表格' },
    description: '按筛选条件以附件2/附件3 的格式导出；遵守敏感级别。Exports the filtered catalog in the layout of the official form.',
  },
  'POST /api/forms/:form/preview': {
    tag: 'forms', summary: '导入预览', errors: [413, 429],
    manual: { body: { media: 'multipart/form-data', schema: FORM_UPLOAD_BODY } },
    description: '上传填好的表格，返回将新增/修改/删除的内容和每一处问题（工作表、行、列），不写入任何数据。mode=replace（默认）时表中没有的系统或数据资源将被删除，summary.deleted 给出将删除的系统、数据资源、数据项和地图要素数；mode=merge 时仅新增和修改。Previews an import without writing; in replace mode (the default) what the form leaves out is deleted, summary.deleted counts it; merge mode only adds and updates.',
  },
  'POST /api/forms/:form/import': {
    tag: 'forms', summary: '确认导入', errors: [409, 413, 422, 429],
    manual: { body: { media: 'multipart/form-data', schema: FORM_UPLOAD_BODY } },
    description: '带上预览返回的 planHash 和同一 mode 确认导入；有任何问题时不写入（422），预览后目录有变化或 mode 与预览不同时 409。Imports a previewed form with the same mode, all or nothing.',
  },
  'POST /api/departments/:id/no-systems': {
    tag: 'survey', summary: '反馈“无系统”', errors: [409], params: { id: '部门编号' },
    description: '部门确无信息系统时反馈，与“未填报”区分。Reports that a department has no systems.',
  },

  // survey
  'GET /api/survey-rounds': { tag: 'survey', summary: '摸排批次列表', ok: readJson('Items'), description: '所有摸排批次及截止时间。Lists the survey rounds.' },
  'GET /api/survey-rounds/:id': {
    tag: 'survey', summary: '摸排批次与填报进度', params: { id: '批次编号' },
    description: '一个批次及各部门的填报状态（未开始、已报系统、已报资源、无系统、逾期）。A round with each department\'s progress.',
  },
  'POST /api/survey-rounds': {
    tag: 'survey', summary: '新建摸排批次', ok: { status: 201 },
    description: '管理员设置批次名称、参加部门和两个截止时间（带时区）。Creates a survey round.',
  },
  'PUT /api/survey-rounds/:id': {
    tag: 'survey', summary: '修改摸排批次', params: { id: '批次编号' },
    description: '修改批次名称、部门或截止时间。Changes a survey round.',
  },

  // edit
  'POST /api/departments/:id/systems': {
    tag: 'edit', summary: '新增业务系统', ok: { status: 201, schema: 'Created' }, params: { id: '部门编号' },
    description: '按附件2 的规则为部门登记一个信息系统；填报人员只能为本单位登记。Adds a system to a department.',
  },
  'PUT /api/systems/:id': {
    tag: 'edit', summary: '修改业务系统', ok: readJson('Created'), params: { id: '系统编号' },
    description: '修改系统的各项信息。Changes a system.',
  },
  'DELETE /api/systems/:id': {
    tag: 'edit', summary: '删除业务系统', ok: readJson('Created'), params: { id: '系统编号' },
    description: '删除系统及其数据资源和要素，返回删除的数量。Deletes a system with its resources and features.',
  },
  'POST /api/systems/:id/resources': {
    tag: 'edit', summary: '新增数据资源', ok: { status: 201, schema: 'Created' }, params: { id: '系统编号（须为区级建设系统）' },
    description: '按附件3 的规则登记数据资源及其数据项。Adds a data resource with its items to a district-built system.',
  },
  'PUT /api/resources/:id': {
    tag: 'edit', summary: '修改数据资源', ok: readJson('Created'), params: { id: '数据资源编号' },
    description: '修改数据资源及其数据项；内容有变化时记入更新历史（在线编辑）。Changes a data resource.',
  },
  'DELETE /api/resources/:id': {
    tag: 'edit', summary: '删除数据资源', ok: readJson('Created'), params: { id: '数据资源编号' },
    description: '删除数据资源及其要素。Deletes a data resource and its features.',
  },

  // catalog
  'GET /api/departments': {
    tag: 'catalog', summary: '部门列表', ok: readJson('Items'),
    description: '各部门的系统、资源数量与填报状态；有筛选条件时只列出有符合条件资源的部门，各项数量也只计符合条件的资源（及其系统、数据项和要素）。Departments with their counts and reporting status; under a filter, only departments with matching resources, counting those.',
  },
  'GET /api/departments/:id': {
    tag: 'catalog', summary: '部门详情', params: { id: '部门编号' },
    description: '部门的系统、填报状态、更新及时率、各子类的资源与要素数量和空间范围。One department drilled down.',
  },
  'GET /api/systems': { tag: 'catalog', summary: '业务系统列表', ok: readJson('Page'), description: '分页列出信息系统。Lists the information systems.' },
  'GET /api/systems/:id': {
    tag: 'catalog', summary: '业务系统详情', params: { id: '系统编号' },
    description: '系统及其数据资源（带要素数量）。A system with its data resources.',
  },
  'GET /api/resources': { tag: 'catalog', summary: '数据资源列表', ok: readJson('Page'), description: '按筛选条件分页列出数据资源，带更新状态和要素数量。Lists the data resources.' },
  'GET /api/resources/:id': {
    tag: 'catalog', summary: '数据资源详情', params: { id: '数据资源编号' },
    description: '数据资源、数据项、更新历史和空间范围。A data resource with its items, update history and extent.',
  },
  'GET /api/items': { tag: 'catalog', summary: '数据项列表', ok: readJson('Page'), description: '按筛选条件分页列出数据项（字段）。Lists the data items.' },
  'GET /api/search': {
    tag: 'catalog', summary: '全文检索', params: { q: '检索词（中文按三字组匹配）', limit: '最多返回条数', district: '只检索这些区县的（市级平台）' },
    description: '在部门、系统、数据资源和数据项中检索。Searches the catalog down to data items.',
  },

  // map
  'GET /api/features': {
    tag: 'map', summary: '地图要素（GeoJSON）', ok: { media: 'geojson', schema: 'FeatureCollection' },
    params: { limit: '每次最多返回的要素数', after: '从这个要素编号之后开始（翻页用，见 links 中 rel=next）' },
    description: '按筛选条件返回 RFC 7946 要素集合，按编号翻页。Features as RFC 7946 GeoJSON, paged by id.',
  },
  'GET /api/features/:id': {
    tag: 'map', summary: '单个要素及其溯源', ok: { media: 'geojson', schema: 'Feature' }, params: { id: '要素编号' },
    description: '要素及其溯源（部门 → 系统 → 数据资源、领域、子类、更新状态）。One feature with its provenance.',
  },
  'GET /api/regions': {
    tag: 'map', summary: '行政区划与网格', ok: { media: 'geojson', schema: 'FeatureCollection' },
    params: { type: 'district 镇街边界，grid 网格' },
    description: '渝北区镇街边界或管理网格（GeoJSON）。District boundaries or the management grid.',
  },

  // stats
  'GET /api/stats/overview': { tag: 'stats', summary: '总览', description: '资源、数据项、要素、风险等级、填报与更新情况的总数；scope 说明结果受何限制（查看者的密级范围，以及受限时全部要素的总数，仅此一个数）。Overall counts, and what they are limited to.' },
  'GET /api/stats/coverage': { tag: 'stats', summary: '覆盖情况', description: '每个领域和子类的资源、要素和监测数据覆盖。Coverage by domain and sub-category.' },
  'GET /api/stats/update-cycles': { tag: 'stats', summary: '更新周期分布', description: '各更新周期的数据资源数量。Resources by update cycle.' },
  'GET /api/stats/freshness': { tag: 'stats', summary: '各部门更新及时率', description: '各部门资源按时、将到期、逾期、从未更新的数量和及时率。Freshness by department.' },
  'GET /api/stats/risk': { tag: 'stats', summary: '风险等级统计', description: '按要素类型和镇街统计各风险等级的要素数量。Features by risk level.' },
  'GET /api/stats/reporting': { tag: 'stats', summary: '填报进度', description: '当前摸排批次各部门的填报状态与计数。Reporting progress of the current round.' },

  // tiles
  'GET /api/tiles/:z/:x/:file': {
    tag: 'tiles', summary: '矢量瓦片', ok: { media: 'mvt', description: 'Mapbox Vector Tile（Accept-Encoding: gzip 时压缩传输），带 ETag；未变化时 304' },
    params: { z: '缩放级别', x: '瓦片列号', file: '瓦片行号加 .mvt，如 412.mvt' },
    manual: {
      query: featureFilterSchema.omit({ bbox: true }),
      path: {
        z: { type: 'integer', minimum: 0, maximum: MAX_TILE_ZOOM },
        x: { type: 'integer', minimum: 0 },
        file: { type: 'string', pattern: '^[0-9]{1,8}\\.mvt$' },
      },
    },
    description: '要素图层的 Mapbox 矢量瓦片 /api/tiles/{z}/{x}/{y}.mvt，支持与 /api/features 相同的筛选条件；低级别聚合。Vector tiles of the feature layers with the filters of /api/features.',
  },

  // supervision
  'GET /api/supervision/freshness': {
    tag: 'supervision', summary: '更新督办', description: '每项资源的更新状态、各部门评分和近 12 个月及时率趋势。Per-resource freshness, department scorecards and a 12-month trend.',
  },
  'GET /api/supervision/chase-list.xlsx': {
    tag: 'supervision', summary: '导出督办清单', ok: { media: 'xlsx', description: '逾期资源的督办清单（Excel）' },
    description: '按逾期时长排序的逾期资源清单。The list of overdue resources as a workbook.',
  },

  // ingest
  'GET /api/systems/:id/api-keys': {
    tag: 'ingest', summary: '系统的接口密钥', ok: readJson('Items'), params: { id: '系统编号' },
    description: '系统的接口密钥（只显示前缀）；本单位填报人员和管理员可用。A system\'s API keys.',
  },
  'POST /api/systems/:id/api-keys': {
    tag: 'ingest', summary: '生成接口密钥', ok: { status: 201, schema: 'ApiKey' }, params: { id: '系统编号', label: '备注' },
    description: '为系统生成接口密钥，完整密钥只返回这一次。Issues an API key for a system.',
  },
  'POST /api/systems/:id/api-keys/:keyId/revoke': {
    tag: 'ingest', summary: '撤销接口密钥', ok: readJson('ApiKey'), params: { id: '系统编号', keyId: '密钥编号' },
    description: '撤销后该密钥不能再推送。Revokes an API key.',
  },
  'POST /api/ingest/updates': {
    tag: 'ingest', summary: '推送数据更新', ok: { status: 201 }, errors: [400, 401, 403, 404, 413, 429],
    manual: { body: { media: 'application/json', schema: INGEST_UPDATE_BODY } },
    description: '业务系统用接口密钥（Authorization: Bearer csa_…）报告一次数据更新：时间、记录数，可附带要素替换该资源的要素。Reports an update of a resource with the system\'s API key.',
  },

  // analysis
  'GET /api/analysis/coverage': { tag: 'analysis', summary: '覆盖矩阵', description: '子类 × 部门的资源与要素覆盖矩阵。Coverage matrix of sub-categories by department.' },
  'GET /api/analysis/conflicts': {
    tag: 'analysis', summary: '一数一源冲突', params: { scope: 'subcategory 只比较同一子类内，all 全部比较' },
    description: '多个部门填报的同名数据项。Data items reported by several departments.',
  },
  'GET /api/analysis/sharing': { tag: 'analysis', summary: '共享缺口', description: '不予共享、未对外提供数据的资源与系统。Sharing gaps.' },
  'GET /api/analysis/spatial': { tag: 'analysis', summary: '空间覆盖', description: '每个网格和镇街的要素数量及空白网格。Features per grid cell and district, and the empty cells.' },
  'GET /api/analysis/surroundings': {
    tag: 'analysis', summary: '事件周边分析',
    params: { feature: '危险源要素编号（用其影响范围）', lon: '经度', lat: '纬度', radius: '半径（米）', reach: '查找应急资源的距离（米）' },
    description: '危险源影响范围内的重点防护目标和最近的应急资源及距离；给出 feature，或 lon、lat 和 radius。What is near an incident.',
  },

  // geodata import
  'POST /api/resources/:id/geodata/preview': {
    tag: 'geodata', summary: '空间数据导入预览', errors: [413, 429], params: { id: '数据资源编号' },
    manual: { body: { media: 'multipart/form-data', schema: GEODATA_UPLOAD_BODY } },
    description: '上传 GeoJSON、CSV（经纬度列或 WKT 列）、KML/KMZ 或压缩的 Shapefile，声明坐标系（WGS84、CGCS2000、GCJ-02、BD-09）后转换为 WGS84；返回要素数、范围、字段对应和逐个要素的问题，不写入任何数据。Previews a geodata import without writing.',
  },
  'POST /api/resources/:id/geodata/import': {
    tag: 'geodata', summary: '确认导入空间数据', errors: [409, 413, 422, 429], params: { id: '数据资源编号' },
    manual: { body: { media: 'multipart/form-data', schema: GEODATA_UPLOAD_BODY } },
    description: '带上预览返回的 planHash 确认导入：替换该资源的全部要素并记入更新历史；有任何问题时不写入（422），预览后有变化时 409。Imports exactly what was previewed, all or nothing.',
  },

  // OGC API – Features
  'GET /api/ogc': {
    tag: 'ogc', summary: 'OGC API 入口页', params: { f: '编码，只支持 json' },
    description: 'OGC API – Features 入口页，links 含 service-desc（本 OpenAPI 文档）、service-doc、conformance 和 data。The landing page with its links.',
  },
  'GET /api/ogc/conformance': {
    tag: 'ogc', summary: '符合的标准类', params: { f: '编码，只支持 json' },
    description: '声明实现的 OGC API – Features 第 1 部分标准类（Core、GeoJSON、OpenAPI 3.0）。The conformance declaration.',
  },
  'GET /api/ogc/collections': {
    tag: 'ogc', summary: '图层列表', params: { f: '编码，只支持 json' },
    description: '按要素类型和领域划分的要素集合，带空间范围和要素数量（只计当前用户可见的要素）。The feature collections.',
  },
  'GET /api/ogc/collections/:collectionId': {
    tag: 'ogc', summary: '图层信息', params: { collectionId: '图层编号（见图层列表）', f: '编码，只支持 json' },
    description: '一个要素集合的标题、说明、空间范围和链接。One collection\'s metadata.',
  },
  'GET /api/ogc/collections/:collectionId/schema': {
    tag: 'ogc', summary: '图层要素的属性结构', ok: { media: 'jsonschema', description: 'JSON Schema（application/schema+json）' },
    params: { collectionId: '图层编号', f: '编码，只支持 json' },
    description: '图层要素 properties 的字段与类型（JSON Schema），供客户端建立属性表。The schema of a collection\'s features.',
  },
  'GET /api/ogc/collections/:collectionId/items': {
    tag: 'ogc', summary: '图层要素', ok: { media: 'geojson', schema: 'FeatureCollection' },
    params: {
      collectionId: '图层编号', limit: '每页要素数', offset: '跳过的要素数（翻页也可用 links 中的 rel=next）',
      bbox: '空间范围 minLon,minLat,maxLon,maxLat（CRS84）', datetime: '更新时间：RFC 3339 时刻、日期，或区间 start/end（.. 表示不限）',
      department: '部门编号，逗号分隔', subcategory: '子类代码，逗号分隔', riskLevel: '风险等级，逗号分隔', f: '编码：json 或 geojson',
    },
    description: 'GeoJSON 要素集合，带 numberMatched、numberReturned 和 next/prev 链接；未知参数返回 400。Features of a collection, paged with offset and next links.',
  },
  'GET /api/ogc/collections/:collectionId/items/:featureId': {
    tag: 'ogc', summary: '单个要素', ok: { media: 'geojson', schema: 'Feature' },
    params: { collectionId: '图层编号', featureId: '要素编号', f: '编码：json 或 geojson' },
    description: '一个 GeoJSON 要素及其 self、collection 链接。One feature.',
  },

  // DCAT
  'GET /api/catalog.jsonld': {
    tag: 'dcat', summary: 'DCAT 数据目录（JSON-LD）', ok: { media: 'jsonld' },
    params: { pageSize: '每页数据集数' },
    description: '按筛选条件把可见的数据资源导出为 DCAT 数据集（发布部门、更新频率、分发方式），分页，供开放数据门户采集。The catalog as DCAT JSON-LD, one dataset per resource.',
  },

  // federation (district side)
  'GET /api/admin/federation-tokens': { tag: 'federation', summary: '汇聚令牌列表', ok: readJson('Items'), description: '本区县签发给市级平台的汇聚令牌（只显示前缀）及其共享范围、最后使用时间。Lists the federation tokens.' },
  'POST /api/admin/federation-tokens': {
    tag: 'federation', summary: '签发汇聚令牌', ok: { status: 201 }, params: { label: '用途，如“市级平台”', ceiling: '共享范围：public 仅公开，internal 公开 + 内部' },
    description: '签发只读的汇聚令牌，完整令牌只返回这一次；受限数据永不外送。Issues a read-only federation token; the token is shown once.',
  },
  'POST /api/admin/federation-tokens/:id/revoke': {
    tag: 'federation', summary: '撤销汇聚令牌', params: { id: '令牌编号' }, description: '撤销后市级平台用该令牌的汇聚立即失败。Revokes a federation token.',
  },
  'GET /api/federation/manifest': {
    tag: 'federation', summary: '汇聚清单', description: '区县、共享范围、数据版本和各类记录数；每个汇聚任务先读它（记入审计日志）。The district, its data versions and record counts.',
  },
  'GET /api/federation/inventory': { tag: 'federation', summary: '部门与系统', description: '共享范围内的部门（含最新摸排批次的填报情况）和信息系统。Departments and systems.' },
  'GET /api/federation/resources': {
    tag: 'federation', summary: '数据资源（分页）', params: { after: '上一页最后一个编号', limit: '每页条数' },
    description: '共享范围内的数据资源及其数据项，按编号分页。Resources with their items, by id pages.',
  },
  'GET /api/federation/updates': {
    tag: 'federation', summary: '更新记录（分页）', params: { after: '上一页最后一个编号', limit: '每页条数', resource: '只取一个数据资源的' },
    description: '共享范围内的更新记录，按编号递增，只取新增的。Update records after an id.',
  },
  'GET /api/federation/feature-ids': {
    tag: 'federation', summary: '要素编号段', params: { after: '上一页最后一个编号', limit: '每页编号数' },
    description: '共享要素的编号，以连续编号段 [起, 止] 表示，供比对新增与删除。Feature ids as runs, to find additions and deletions.',
  },
  'GET /api/federation/features': {
    tag: 'federation', summary: '要素（分页）', params: { from: '编号段起点', to: '编号段终点', after: '上一页最后一个编号', revisionAfter: '只取该修订号之后原地修改的要素', limit: '每页条数' },
    description: '按编号段或按修订号读取共享要素，几何为 GeoJSON 文本。Features by id range or changed since a revision.',
  },

  // harvest (city side)
  'GET /api/harvest/sources': { tag: 'harvest', summary: '汇聚来源', ok: readJson('Items'), description: '各汇聚来源及其计划、最近任务和是否过期未汇聚。The harvest sources with their last job.' },
  'POST /api/harvest/sources': {
    tag: 'harvest', summary: '登记汇聚来源', ok: { status: 201 }, errors: [409],
    params: { kind: 'atlas 区县平台 / dcat DCAT 目录', name: '名称', url: '地址', token: '汇聚令牌（区县平台）或访问令牌', scheduleMinutes: '每隔多少分钟汇聚一次', deleteThreshold: '删除保护阈值（比例）', defaultSubcategory: 'DCAT 数据集的默认子类', enabled: '是否按计划汇聚' },
    description: '登记一个区县平台或 DCAT 目录（仅市级平台）。Registers a source (city atlas only).',
  },
  'PUT /api/harvest/sources/:id': { tag: 'harvest', summary: '修改汇聚来源', errors: [409], params: { id: '来源编号' }, description: '修改地址、计划、阈值或更换令牌（留空不换）。Changes a source.' },
  'DELETE /api/harvest/sources/:id': { tag: 'harvest', summary: '删除汇聚来源', ok: { status: 204 }, params: { id: '来源编号' }, description: '删除来源及从它汇聚的全部数据。Deletes a source and what was harvested from it.' },
  'POST /api/harvest/sources/:id/run': { tag: 'harvest', summary: '立即汇聚', ok: { status: 202 }, errors: [409], params: { id: '来源编号' }, description: '立即运行一次汇聚任务，返回任务；任务在后台运行。Runs a job now.' },
  'GET /api/harvest/jobs': { tag: 'harvest', summary: '汇聚任务', ok: readJson('Items'), params: { source: '来源编号', limit: '条数' }, description: '最近的任务及其报告，最新的在前。The latest jobs with their reports.' },
  'GET /api/harvest/jobs/:id': { tag: 'harvest', summary: '任务报告', params: { id: '任务编号' }, description: '任务的状态和报告：各类记录的新增、修改、删除、未变，错误及其记录，数量核对，耗时。A job and its report.' },
  'POST /api/harvest/jobs/:id/confirm': {
    tag: 'harvest', summary: '确认删除', ok: { status: 202 }, errors: [409], params: { id: '待确认的任务编号' },
    description: '确认删除保护拦下的删除，并以这些删除数为上限重新运行任务。Confirms the deletions the guard stopped and runs the job again.',
  },
  'POST /api/harvest/jobs/:id/decline': {
    tag: 'harvest', summary: '拒绝删除', errors: [409], params: { id: '待确认的任务编号' },
    description: '拒绝删除：保留市级已有数据，来源暂停自动汇聚，直到管理员再次运行。Declines the deletions; the source waits for a manual run.',
  },

  // city
  'GET /api/city/districts': {
    tag: 'city', summary: '各区县并列', description: '每个区县（及市本级、DCAT 来源）的填报进度、附件1子类覆盖、更新及时率与逾期数、要素与重大风险数、来源是否过期未汇聚。Districts side by side.',
  },
  'GET /api/city/districts/:key/departments': {
    tag: 'city', summary: '区县内各部门', params: { key: '区县代码、local 或 source-编号' },
    description: '一个区县内各部门的资源数、要素数、填报情况、覆盖与更新及时率。One district\'s departments side by side.',
  },

  // docs
  'GET /api/openapi.json': {
    tag: 'docs', summary: 'OpenAPI 文档', ok: { media: 'openapi', description: 'OpenAPI 3.0.3 文档（请求 Accept: application/json 时以 application/json 返回）' },
    description: '本 API 的 OpenAPI 3.0.3 描述，由路由的 zod 校验规则生成。This document, generated from the routes\' zod schemas.',
  },
  'GET /api/docs': {
    tag: 'docs', summary: 'API 参考页', ok: { media: 'html', description: '离线 HTML 参考页' },
    description: '由本 OpenAPI 文档生成的离线参考页（无脚本、无外部资源）。A reference page rendered from this document.',
  },
  // monitoring and alarms
  'POST /api/ingest/readings': {
    tag: 'monitoring', summary: '推送监测读数', errors: [400, 401, 413],
    manual: { body: { media: 'application/json', schema: INGEST_READINGS_BODY } },
    description: '业务系统用接口密钥（Authorization: Bearer csa_…）推送监测读数，每次最多 10,000 条；返回接收、入库、重复和按原因计数的坏读数，以及触发、合并、恢复的告警数。也可经 MQTT 推送（见 README）。Sends sensor readings with the system\'s API key.',
  },
  'GET /api/monitoring/points/:id': {
    tag: 'monitoring', summary: '监测点的传感器与最新值', params: { id: '监测点要素编号' },
    description: '监测点各通道的最新值、适用的阈值（分级）、离线状态和未办结的告警。A monitoring point\'s sensors, latest values and thresholds.',
  },
  'GET /api/monitoring/sensors/:id/series': {
    tag: 'monitoring', summary: '传感器趋势', params: { id: '传感器编号', range: '时间范围：1h 原始读数，24h 每分钟，30d 每小时' },
    description: '传感器的读数趋势（平均、最低、最高）。A sensor\'s trend.',
  },
  'GET /api/monitoring/intake': {
    tag: 'monitoring', summary: '监测接入情况',
    description: '本进程启动以来各业务系统经 HTTP 和 MQTT 推送的读数：批次、入库、重复、按原因计数的坏读数、整批拒收和最近的问题；MQTT 连接状态。Readings received per system since the process started.',
  },
  'GET /api/monitoring/rules': { tag: 'monitoring', summary: '告警规则', ok: readJson('Items'), description: '阈值规则（分级、回差、持续时间）和离线规则。The alarm rules.' },
  'POST /api/monitoring/rules': {
    tag: 'monitoring', summary: '新建告警规则', ok: { status: 201 },
    description: '系统管理员新建规则：按通道，可限定子类或单个监测点（更具体的规则整体替代更宽的规则）；记入审计日志。Creates an alarm rule.',
  },
  'PUT /api/monitoring/rules/:id': { tag: 'monitoring', summary: '修改告警规则', params: { id: '规则编号' }, description: '系统管理员修改规则；记入审计日志。Changes an alarm rule.' },
  'DELETE /api/monitoring/rules/:id': { tag: 'monitoring', summary: '删除告警规则', params: { id: '规则编号' }, description: '系统管理员删除规则；记入审计日志。Deletes an alarm rule.' },
  'GET /api/monitoring/sla': { tag: 'monitoring', summary: '处置时限', description: '各级告警推送后签收、首报、书面报告的时限（分钟）。The SLA clocks per level.' },
  'PUT /api/monitoring/sla': { tag: 'monitoring', summary: '修改处置时限', description: '系统管理员修改各级告警的处置时限；记入审计日志。Changes the SLA clocks.' },
  'GET /api/alarms': {
    tag: 'monitoring', summary: '告警列表',
    params: { status: '状态，逗号分隔', level: '告警级别，逗号分隔', kind: '告警类型（超限、离线），逗号分隔', open: 'true 只看未办结，false 只看已结束', escalated: 'true 只看超时上报的', point: '监测点要素编号', before: '翻页：上一页最后一条的编号' },
    description: '观看者可见的告警（责任单位的填报人员只看本单位），新的在前，附处置时限和本人可执行的操作。Alarms the viewer may see.',
  },
  'GET /api/alarms/summary': { tag: 'monitoring', summary: '告警统计', description: '各状态、各级别的告警数，未办结、超时和已上报的数量。Alarm counts.' },
  'GET /api/alarms/:id': { tag: 'monitoring', summary: '告警详情', params: { id: '告警编号' }, description: '告警及其每一步（谁、何时、说明）和处置时限。An alarm with its steps.' },
  'POST /api/alarms/:id/actions': {
    tag: 'monitoring', summary: '告警处置', errors: [409], params: { id: '告警编号', action: '操作：dismiss 误报、confirm 确认、push 推送、sign 签收、handle 开始处置、report 反馈、close 办结', note: '说明（误报、开始处置、反馈时必填）' },
    description: '告警闭环的一步：研判和推送由区大数据局（管理员、分析人员），签收至办结由责任单位的填报人员；记入审计日志。One step of the alarm loop.',
  },
  'GET /api/events': {
    tag: 'monitoring', summary: '实时事件流', ok: { media: 'sse', description: 'Server-sent events' },
    description: '服务器推送事件（text/event-stream）：新告警与处置步骤（alarm）、数据版本变化（data-version），按观看者的权限过滤；断线重连时带 Last-Event-ID 补发错过的事件；定时心跳。Server-sent events.',
  },

  // risk grading
  'GET /api/risk/regions': {
    tag: 'grading', summary: '区域风险（四色图）', params: { type: 'grid 网格，district 镇街' },
    description: '每个网格或镇街按其已定级的风险点、危险源计算的区域风险等级（按级别加权求和，与分级界限比较），用于四色图；筛选条件同统计。The four-colour map: each region\'s level from its graded points.',
  },
  'GET /api/risk/categories': {
    tag: 'grading', summary: '类别风险', ok: readJson('Items'),
    description: '类别层级的风险：每个子类的风险点、危险源按等级计数，及其最高的几个风险（等级、风险值）；重大风险多的子类在前；筛选条件同统计。The category level of risk.',
  },
  'GET /api/risk/reassessment': {
    tag: 'grading', summary: '复评督办',
    description: '每个部门的风险点从未评估、逾期未复评、即将到期的数量，以及逾期的风险点（最多 500 个，逾期最久的在前）。评估每年到期（可配置），告警确认使其可能性上调后提前到期。Re-assessment supervision.',
  },
  'GET /api/risk/reassessment-rule': { tag: 'grading', summary: '复评周期', description: '复评周期、事件后复评期限和“即将到期”的提前天数。The re-assessment rule.' },
  'PUT /api/risk/reassessment-rule': { tag: 'grading', summary: '修改复评周期', description: '系统管理员修改复评周期；记入审计日志。Changes the re-assessment rule.' },
  'GET /api/risk/assessments/template.xlsx': {
    tag: 'grading', summary: '下载风险评估导入表', ok: { media: 'xlsx' },
    description: '列出可评估的风险点、危险源（填报人员为本单位，管理员可按部门筛选）及其最近一次评估的输入，附填写说明；版式见 README。The assessment import template.',
  },
  'POST /api/risk/assessments/preview': {
    tag: 'grading', summary: '风险评估导入预览', errors: [413, 429],
    manual: { body: { media: 'multipart/form-data', schema: ASSESSMENT_UPLOAD_BODY } },
    description: '上传填好的导入表，返回将记录的评估数、各等级数、等级将变化的风险点和每一行的问题，不写入任何数据。Previews an assessment import.',
  },
  'POST /api/risk/assessments/import': {
    tag: 'grading', summary: '导入风险评估', ok: { status: 201 }, errors: [413, 429],
    manual: { body: { media: 'multipart/form-data', schema: ASSESSMENT_UPLOAD_BODY } },
    description: '导入填好的导入表：任何一行有误则不导入任何评估（400，列出每一行的问题）；全部通过则记录为“批量导入”的评估，地图等级随之变化；记入审计日志。Imports assessments, all or nothing.',
  },
  'POST /api/ingest/assessments': {
    tag: 'grading', summary: '推送风险评估', ok: { status: 201 }, errors: [400, 401, 413],
    manual: { body: { media: 'application/json', schema: INGEST_ASSESSMENTS_BODY } },
    description: '业务系统用接口密钥（Authorization: Bearer csa_…）推送本部门风险点的评估，每次最多 10,000 条，全部通过才记录（记为“部门系统报送”）。Sends assessments with the system\'s API key.',
  },
  'GET /api/risk/region-rule': { tag: 'grading', summary: '区域定级规则', description: '区域风险的各级权重和分级界限。The rule of region levels.' },
  'PUT /api/risk/region-rule': { tag: 'grading', summary: '修改区域定级规则', description: '系统管理员修改区域风险的权重和分级界限；记入审计日志。Changes the rule of region levels.' },
  'GET /api/risk/register.xlsx': {
    tag: 'grading', summary: '导出风险清单', ok: { media: 'xlsx' },
    description: '风险清单（xlsx）：每个风险点、危险源一行，含位置、类别、等级、L、C、风险值、评估方法、调整理由、管控措施、责任单位和最近评估时间，重大风险在前；筛选条件同列表。The risk register.',
  },
  'GET /api/risk-models': { tag: 'grading', summary: '评估模型', ok: readJson('Items'), description: '每个范围（默认或某一子类）当前使用的评估模型。The assessment model in force per scope.' },
  'GET /api/risk-models/:scope/versions': {
    tag: 'grading', summary: '模型版本', ok: readJson('Items'), params: { scope: 'default 或子类代码' },
    description: '一个范围的评估模型的全部版本，新的在前。Every version of a scope\'s model.',
  },
  'PUT /api/risk-models/:scope': {
    tag: 'grading', summary: '修改评估模型', params: { scope: 'default 或子类代码' },
    description: '系统管理员为默认或某一子类设定评估模型（风险矩阵、LEC 或指标加权，分级界限可调），保存为新版本，并用新版本重新定级该范围内已评估的风险点；记入审计日志。Sets a scope\'s model as a new version and re-grades.',
  },
  'GET /api/features/:id/assessments': {
    tag: 'grading', summary: '风险评估记录', params: { id: '要素编号' },
    description: '风险点或危险源当前的评估（输入、计算结果、人工调整及理由、为何是这个等级、如何降低）和全部历史。A feature\'s assessments and why it has its level.',
  },
  'POST /api/features/:id/assessments': {
    tag: 'grading', summary: '评估风险点', ok: { status: 201 }, params: { id: '要素编号' },
    description: '按适用的评估模型计算风险等级，可人工调整等级并写明理由；本单位填报人员和管理员可用，结果即为地图上的等级；记入审计日志。Assesses a risk point or hazard source.',
  },

}
