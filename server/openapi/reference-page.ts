/**
 * The offline API reference page (GET /api/docs): server-rendered HTML from the OpenAPI document, no
 * script, no external resource, every text escaped. Inline styles are allowed by the CSP
 * (server/http/security.ts: style-src 'self' 'unsafe-inline'), so the stylesheet is in the page.
 */
import type { JsonSchema } from './schemas.js'
import type { OpenApiDocument, OpenApiOperation, OpenApiParameter } from './generate.js'

/** HTML-escapes text for element content and quoted attribute values. */
function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)
}

const ACCESS_TEXT: Record<OpenApiOperation['x-access'], string> = {
  open: '无需登录',
  'sign-in': '无需登录（JSON 请求体，仅限本站来源）',
  'public-read': '登录会话或个人访问令牌（只读）；开启公开访问时无需登录；大屏链接可用',
  read: '登录会话，或个人访问令牌（只读）',
  account: '本人的登录会话（个人访问令牌不可用）；修改时带 X-CSRF-Token 头',
  session: '当前会话（如有）+ X-CSRF-Token 头',
  write: '登录会话 + X-CSRF-Token 头',
  admin: '系统管理员的登录会话；修改时带 X-CSRF-Token 头',
  ingest: '业务系统接口密钥（Bearer csa_…）',
  federation: '区县管理员签发的联邦令牌（Bearer csa_fed_…），只读',
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

function refName(schema: JsonSchema): string | null {
  return typeof schema.$ref === 'string' ? schema.$ref.replace(/^#\/components\/(schemas|responses)\//, '') : null
}

/** A short type text of a schema: integer, string (date-time), red | orange, array of …, Feature. */
function typeText(schema: JsonSchema | undefined): string {
  if (!schema) return ''
  const named = refName(schema)
  if (named) return named
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) return typeText(schema.allOf[0] as JsonSchema)
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).map(typeText).join(' | ')
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map(String).join(' | ')
  if (schema.type === 'array') {
    const items = (schema.items ?? {}) as JsonSchema
    return Array.isArray(items.enum) || Array.isArray(items.anyOf) ? `(${typeText(items)})[]` : `${typeText(items)}[]`
  }
  const type = typeof schema.type === 'string' ? schema.type : 'any'
  const format = typeof schema.format === 'string' ? ` (${schema.format})` : ''
  return `${type}${format}${schema.nullable ? ' | null' : ''}`
}

/** Limits of a schema in words: 1–500, ≤ 100 字符, 格式 ^…$. */
function constraintsText(schema: JsonSchema | undefined): string {
  if (!schema) return ''
  const parts: string[] = []
  const s = schema.type === 'array' && !schema.minimum && !schema.maximum ? { ...(schema.items as JsonSchema), minItems: schema.minItems, maxItems: schema.maxItems } : schema
  if (s.minimum !== undefined || s.maximum !== undefined) parts.push(`范围 ${s.minimum ?? '…'}–${s.maximum ?? '…'}`)
  if (s.minLength !== undefined) parts.push(`至少 ${s.minLength} 字符`)
  if (s.maxLength !== undefined) parts.push(`至多 ${s.maxLength} 字符`)
  if (s.minItems !== undefined) parts.push(`至少 ${s.minItems} 项`)
  if (s.maxItems !== undefined) parts.push(`至多 ${s.maxItems} 项`)
  if (typeof s.pattern === 'string' && s.format === undefined) parts.push(`格式 ${s.pattern}`)
  return parts.join('；')
}

function defaultText(schema: JsonSchema | undefined): string {
  return schema && schema.default !== undefined ? JSON.stringify(schema.default) : ''
}

function parametersTable(parameters: OpenApiParameter[]): string {
  const rows = parameters.map((p) => `<tr>
      <td><code>${escapeHtml(p.name)}</code></td>
      <td>${escapeHtml(p.in)}</td>
      <td><code class="type">${escapeHtml(typeText(p.schema))}</code>${p.style === 'form' && p.explode === false ? '<span class="note">逗号分隔</span>' : ''}</td>
      <td>${p.required ? '<strong>必填</strong>' : '可选'}</td>
      <td>${escapeHtml(defaultText(p.schema))}</td>
      <td>${escapeHtml(p.description ?? '')}${constraintsText(p.schema) ? `<div class="note">${escapeHtml(constraintsText(p.schema))}</div>` : ''}</td>
    </tr>`).join('')
  return `<table class="params"><thead><tr><th>参数</th><th>位置</th><th>类型</th><th>必填</th><th>默认值</th><th>说明</th></tr></thead><tbody>${rows}</tbody></table>`
}

/** A schema's properties as table rows, nested objects and arrays of objects indented below their field. */
function propertyRows(schema: JsonSchema, prefix: string, depth: number): string {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((schema.required ?? []) as string[])
  return Object.entries(props).map(([name, prop]) => {
    const nested = prop.type === 'object' && prop.properties ? prop : prop.type === 'array' && (prop.items as JsonSchema | undefined)?.properties ? (prop.items as JsonSchema) : null
    const row = `<tr>
      <td style="padding-left:${0.6 + depth * 1.4}rem"><code>${escapeHtml(prefix + name)}</code></td>
      <td><code class="type">${escapeHtml(nested && prop.type === 'array' ? 'object[]' : typeText(prop))}</code></td>
      <td>${required.has(name) ? '<strong>必填</strong>' : '可选'}</td>
      <td>${escapeHtml(defaultText(prop))}</td>
      <td>${escapeHtml(typeof prop.description === 'string' ? prop.description : '')}${constraintsText(prop) ? `<div class="note">${escapeHtml(constraintsText(prop))}</div>` : ''}</td>
    </tr>`
    return row + (nested && depth < 3 ? propertyRows(nested, `${prefix}${name}${prop.type === 'array' ? '[].' : '.'}`, depth + 1) : '')
  }).join('')
}

function schemaBlock(schema: JsonSchema): string {
  const named = refName(schema)
  if (named) return `<p>见数据结构 <a href="#schema-${escapeHtml(named)}"><code>${escapeHtml(named)}</code></a></p>`
  if (schema.properties) {
    return `<table class="params"><thead><tr><th>字段</th><th>类型</th><th>必填</th><th>默认值</th><th>说明</th></tr></thead><tbody>${propertyRows(schema, '', 0)}</tbody></table>`
  }
  return `<p><code class="type">${escapeHtml(typeText(schema))}</code></p>`
}

function responsesList(op: OpenApiOperation, doc: OpenApiDocument): string {
  const items = Object.entries(op.responses).map(([status, response]) => {
    const named = refName(response)
    const resolved = named ? (doc.components.responses[named] ?? response) : response
    const content = (resolved.content ?? {}) as Record<string, { schema: JsonSchema }>
    const media = Object.entries(content).map(([type, c]) => {
      const schemaName = refName(c.schema)
      return `<code>${escapeHtml(type)}</code>${schemaName ? ` <a href="#schema-${escapeHtml(schemaName)}">${escapeHtml(schemaName)}</a>` : ''}`
    }).join('，')
    const cls = Number(status) < 400 ? 'ok' : 'err'
    return `<li><span class="status ${cls}">${escapeHtml(status)}</span> ${escapeHtml(String(resolved.description ?? ''))}${media ? `<span class="media"> — ${media}</span>` : ''}</li>`
  }).join('')
  return `<ul class="responses">${items}</ul>`
}

function operationCard(method: string, path: string, op: OpenApiOperation, doc: OpenApiDocument): string {
  const body = op.requestBody
  const bodyHtml = body
    ? Object.entries(body.content).map(([type, c]) => `<h4>请求体 <code>${escapeHtml(type)}</code></h4>${schemaBlock(c.schema)}`).join('')
    : ''
  return `<article class="op" id="${escapeHtml(op.operationId)}">
    <h3><span class="method m-${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code class="path">${escapeHtml(path)}</code> <span class="summary">${escapeHtml(op.summary)}</span></h3>
    <p class="desc">${escapeHtml(op.description)}</p>
    <p class="auth"><span class="label">认证</span>${escapeHtml(ACCESS_TEXT[op['x-access']])}</p>
    ${op.parameters?.length ? `<h4>参数</h4>${parametersTable(op.parameters)}` : ''}
    ${bodyHtml}
    <h4>响应</h4>${responsesList(op, doc)}
  </article>`
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:#1f2933;background:#f4f6f8}
a{color:#1d5fbf;text-decoration:none}a:hover{text-decoration:underline}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.9em}
.layout{display:grid;grid-template-columns:300px minmax(0,1fr);min-height:100vh}
nav{position:sticky;top:0;height:100vh;overflow-y:auto;background:#14304f;color:#dbe6f3;padding:20px 16px}
nav h1{font-size:18px;margin:0 0 4px;color:#fff}
nav .sub{font-size:12px;color:#9fb4cc;margin:0 0 16px}
nav a{color:#dbe6f3;display:block;padding:3px 6px;border-radius:4px;font-size:14px}
nav a:hover{background:#1f4570;text-decoration:none}
nav .count{float:right;color:#9fb4cc;font-size:12px}
main{padding:28px 40px;max-width:1500px}
header.intro{background:#fff;border:1px solid #d9e0e7;border-radius:8px;padding:18px 24px;margin-bottom:24px}
header.intro h2{margin:0 0 8px;font-size:22px}
header.intro p{margin:6px 0}
section.tag{margin-bottom:32px}
section.tag>h2{font-size:20px;border-bottom:2px solid #14304f;padding-bottom:4px;margin:0 0 12px}
section.tag>h2 small{font-weight:normal;color:#52606d;font-size:14px;margin-left:8px}
.op{background:#fff;border:1px solid #d9e0e7;border-radius:8px;padding:14px 20px;margin-bottom:14px}
.op h3{margin:0 0 6px;font-size:16px;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.op h4{margin:12px 0 4px;font-size:14px;color:#323f4b}
.method{display:inline-block;min-width:64px;text-align:center;border-radius:4px;color:#fff;font-size:13px;padding:1px 8px;font-family:"DejaVu Sans Mono",monospace}
.m-get{background:#1d7f4e}.m-post{background:#1d5fbf}.m-put{background:#b7791f}.m-patch{background:#8a5a00}.m-delete{background:#c53030}
.path{font-size:15px;color:#102a43}
.summary{color:#334e68;font-weight:600}
.desc{margin:4px 0;color:#3e4c59}
.auth{margin:4px 0;font-size:14px}
.label{display:inline-block;background:#e4e7eb;border-radius:3px;padding:0 6px;margin-right:8px;font-size:12px;color:#323f4b}
table.params{border-collapse:collapse;width:100%;font-size:14px}
table.params th,table.params td{border:1px solid #e4e7eb;padding:4px 10px;text-align:left;vertical-align:top}
table.params th{background:#f0f4f8;font-weight:600;white-space:nowrap}
table.params td:first-child{white-space:nowrap}
code.type{color:#7a3e9d;word-break:break-word}
.note{color:#616e7c;font-size:12.5px}
span.note{margin-left:6px}
ul.responses{list-style:none;padding:0;margin:0;font-size:14px}
ul.responses li{padding:2px 0}
.status{display:inline-block;min-width:38px;text-align:center;border-radius:3px;font-family:"DejaVu Sans Mono",monospace;font-size:13px;margin-right:6px}
.status.ok{background:#e3f9e5;color:#1d7f4e}.status.err{background:#ffe3e3;color:#a61b1b}
.media{color:#52606d}
pre{background:#f0f4f8;border-radius:6px;padding:10px 14px;overflow-x:auto;font-size:13px}
`

/** The reference page of an OpenAPI document: grouped by tag, every operation with its parameters, body, answers and authentication. */
export function renderReferencePage(doc: OpenApiDocument): string {
  const byTag = new Map<string, { method: string; path: string; op: OpenApiOperation }[]>()
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = ops[method]
      if (!op) continue
      const tag = op.tags[0] ?? 'undocumented'
      if (!byTag.has(tag)) byTag.set(tag, [])
      byTag.get(tag)!.push({ method, path, op })
    }
  }
  const tags = doc.tags.filter((t) => byTag.has(t.name))
  const total = [...byTag.values()].reduce((n, list) => n + list.length, 0)
  const nav = tags.map((t) => `<a href="#tag-${escapeHtml(t.name)}">${escapeHtml(t.description.replace(/（.*$/, ''))}<span class="count">${byTag.get(t.name)!.length}</span></a>`).join('')
  const sections = tags.map((t) => `<section class="tag" id="tag-${escapeHtml(t.name)}">
    <h2>${escapeHtml(t.description)}<small>${escapeHtml(t.name)}</small></h2>
    ${byTag.get(t.name)!.map((o) => operationCard(o.method, o.path, o.op, doc)).join('')}
  </section>`).join('')
  const schemes = Object.entries(doc.components.securitySchemes)
    .map(([name, s]) => `<li><code>${escapeHtml(name)}</code>：${escapeHtml(String(s.description ?? ''))}</li>`).join('')
  const schemas = Object.entries(doc.components.schemas)
    .map(([name, s]) => `<article class="op" id="schema-${escapeHtml(name)}"><h3><code class="path">${escapeHtml(name)}</code></h3><p class="desc">${escapeHtml(String(s.description ?? ''))}</p>${schemaBlock(s)}</article>`).join('')
  const intro = doc.info.description.split('\n\n').map((p) => `<p>${escapeHtml(p)}</p>`).join('')

  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} 参考</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<div class="layout">
<nav aria-label="接口分组">
  <h1>${escapeHtml(doc.info.title)}</h1>
  <p class="sub">OpenAPI ${escapeHtml(doc.openapi)} · 版本 ${escapeHtml(doc.info.version)} · ${total} 个接口</p>
  ${nav}
  <a href="#auth">认证方式</a>
  <a href="#schemas">数据结构</a>
  <a href="/api/openapi.json">OpenAPI 文档（JSON）</a>
</nav>
<main>
  <header class="intro">
    <h2>${escapeHtml(doc.info.title)} 参考</h2>
    ${intro}
    <p>机器可读的描述：<a href="/api/openapi.json"><code>/api/openapi.json</code></a>（可导入 Postman、Insomnia 或代码生成工具）。</p>
  </header>
  ${sections}
  <section class="tag" id="auth"><h2>认证方式<small>securitySchemes</small></h2><div class="op"><ul>${schemes}</ul></div></section>
  <section class="tag" id="schemas"><h2>数据结构<small>components/schemas</small></h2>${schemas}</section>
</main>
</div>
</body>
</html>`
}
