/**
 * Component schemas of the OpenAPI document for what the API answers. Requests are generated from the
 * zod schemas the routes validate with (generate.ts); answers are not validated by the server, so
 * their stable shapes are written here, in OpenAPI 3.0's dialect of JSON Schema.
 */
import { z, type ZodType } from 'zod'
import { FEATURE_KINDS, RISK_LEVELS, codesOf } from '../domain/enums.js'

/** A JSON Schema object as OpenAPI 3.0 uses it. */
export type JsonSchema = { [key: string]: unknown }

/** zod → JSON Schema (OpenAPI 3.0 dialect, what a client sends); schemas zod cannot express become {}. */
export function jsonSchemaOf(schema: ZodType): JsonSchema {
  try {
    const out = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as JsonSchema
    delete out.$schema
    return out
  } catch {
    return {}
  }
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` })


/** Named schemas under components/schemas. */
export const COMPONENT_SCHEMAS: Record<string, JsonSchema> = {
  Error: {
    type: 'object',
    description: '所有错误的统一格式；用户输入错误为 400，details.parameter 指出出错的参数。 The one error shape of the API.',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', description: '机器可读的错误代码，如 invalid_parameter、unauthenticated、forbidden、not_found', example: 'invalid_parameter' },
          message: { type: 'string', description: '可读的说明（多为中文）', example: 'invalid pageSize: must be at most 500' },
          details: {
            type: 'object',
            additionalProperties: true,
            description: '附加信息：parameter（出错参数）、issues（每一处问题）、problems（表格导入的逐行问题）、retryAfter（秒）等',
            properties: {
              parameter: { type: 'string' },
              issues: { type: 'array', items: { type: 'object', properties: { parameter: { type: 'string' }, message: { type: 'string' } } } },
            },
          },
        },
      },
    },
  },
  Geometry: {
    type: 'object',
    description: 'RFC 7946 几何对象（WGS84 经纬度）',
    required: ['type', 'coordinates'],
    properties: {
      type: { type: 'string', enum: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'] },
      coordinates: { type: 'array', items: {}, description: '按几何类型嵌套的坐标数组', example: [106.63, 29.72] },
    },
  },
  Feature: {
    type: 'object',
    description: 'RFC 7946 要素；properties 带溯源（部门 → 系统 → 数据资源）',
    required: ['type', 'id', 'geometry', 'properties'],
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: 'integer' },
      geometry: ref('Geometry'),
      properties: {
        type: 'object',
        additionalProperties: true,
        properties: {
          name: { type: 'string' },
          kind: { type: 'string', enum: codesOf(FEATURE_KINDS) },
          riskLevel: { type: 'string', enum: codesOf(RISK_LEVELS), nullable: true },
          indicators: { type: 'object', nullable: true, additionalProperties: { type: 'number' }, description: '风险模型各指标得分 0–100' },
          impactRadiusM: { type: 'number', nullable: true, description: '影响范围（米），危险源' },
          capacity: { type: 'number', nullable: true, description: '容量，应急资源' },
          attributes: { type: 'object', additionalProperties: true },
          resourceId: { type: 'integer' },
          departmentId: { type: 'integer' },
          domainCode: { type: 'string' },
          subcategoryCode: { type: 'string' },
        },
      },
    },
  },
  FeatureCollection: {
    type: 'object',
    description: 'RFC 7946 要素集合；还有更多时 links 中给出 rel=next 的下一页地址',
    required: ['type', 'features'],
    properties: {
      type: { type: 'string', enum: ['FeatureCollection'] },
      features: { type: 'array', items: ref('Feature') },
      numberMatched: { type: 'integer', description: '符合条件的要素总数（OGC API）' },
      numberReturned: { type: 'integer' },
      timeStamp: { type: 'string', format: 'date-time' },
      links: {
        type: 'array',
        items: { type: 'object', required: ['rel', 'href'], properties: { rel: { type: 'string' }, href: { type: 'string' }, type: { type: 'string' } } },
      },
    },
  },
  Page: {
    type: 'object',
    description: '分页列表',
    required: ['items', 'total', 'page', 'pageSize'],
    properties: {
      items: { type: 'array', items: { type: 'object', additionalProperties: true } },
      total: { type: 'integer', description: '符合条件的总数' },
      page: { type: 'integer' },
      pageSize: { type: 'integer' },
    },
  },
  Items: {
    type: 'object',
    description: '不分页的列表',
    required: ['items'],
    properties: { items: { type: 'array', items: { type: 'object', additionalProperties: true } } },
  },
  Created: {
    type: 'object',
    description: '新建或修改的对象编号',
    required: ['id'],
    properties: { id: { type: 'integer' } },
    additionalProperties: true,
  },
  SessionInfo: {
    type: 'object',
    description: '当前会话：登录用户或大屏链接、CSRF 令牌（修改类请求须放在 X-CSRF-Token 头中）、权限',
    required: ['user', 'kiosk', 'csrfToken', 'publicAccess', 'permissions', 'idleTimeoutMinutes', 'required', 'passwordMaxAgeDays'],
    properties: {
      user: { type: 'object', nullable: true, additionalProperties: true },
      kiosk: { type: 'object', nullable: true, additionalProperties: true },
      csrfToken: { type: 'string', nullable: true },
      publicAccess: { type: 'boolean', description: '是否开启公开数据免登录访问' },
      permissions: { type: 'object', additionalProperties: { type: 'boolean' } },
      idleTimeoutMinutes: { type: 'integer' },
      required: {
        type: 'string', nullable: true, enum: ['change-password', 'enrol-two-factor', null],
        description: '登录后须先完成的事：change-password 密码超过使用期限须先修改；enrol-two-factor 系统管理员须先启用两步验证。完成前其他请求一律 403',
      },
      passwordMaxAgeDays: { type: 'integer', description: '密码使用期限（天），0 表示不限' },
    },
  },
  ApiKey: {
    type: 'object',
    description: '接口密钥（只在创建时返回一次完整的 key）',
    required: ['id'],
    properties: {
      id: { type: 'integer' },
      systemId: { type: 'integer' },
      prefix: { type: 'string', description: '密钥前几位，用于辨认' },
      label: { type: 'string' },
      key: { type: 'string', description: '完整密钥，仅创建时返回' },
      createdAt: { type: 'string', format: 'date-time' },
      revokedAt: { type: 'string', format: 'date-time', nullable: true },
      lastUsedAt: { type: 'string', format: 'date-time', nullable: true },
    },
  },
  Object: { type: 'object', additionalProperties: true, description: 'JSON 对象' },
}

/** The body of POST /api/ingest/updates, which checks it inside the handler (after the API key). */
export const INGEST_UPDATE_BODY: JsonSchema = {
  type: 'object',
  required: ['resourceId', 'updatedAt', 'recordCount'],
  properties: {
    resourceId: { type: 'integer', minimum: 1, description: '数据资源编号（须属于密钥所属的系统）' },
    updatedAt: { type: 'string', format: 'date-time', description: '更新时间，ISO 8601 带时区，如 2026-06-15T12:00:00+08:00；不得晚于服务器时间 5 分钟以上' },
    recordCount: { type: 'integer', minimum: 0, maximum: 1e12, description: '本次更新的记录数' },
    features: { description: '可选：RFC 7946 FeatureCollection，替换该资源的要素', allOf: [ref('FeatureCollection')] },
  },
}

/** The body of POST /api/ingest/readings, which checks each reading inside the handler (after the API key). */
export const INGEST_READINGS_BODY: JsonSchema = {
  type: 'object',
  required: ['readings'],
  properties: {
    readings: {
      type: 'array', maxItems: 10_000, description: '监测读数，每次最多 10,000 条；坏的读数逐条计数并说明原因，不影响好的读数',
      items: {
        type: 'object',
        required: ['point', 'channel', 'value', 'at'],
        properties: {
          point: { type: 'integer', minimum: 1, description: '监测点要素编号（须属于密钥所属系统的数据资源）' },
          channel: { type: 'string', description: '监测通道：gas、pressure、water-level、displacement、strain、rainfall、smoke、temperature、residual-current' },
          value: { type: 'number', description: '监测值' },
          unit: { type: 'string', description: '可选：单位，须与通道的单位一致（如 gas 为 %LEL）' },
          at: { type: 'string', format: 'date-time', description: '采集时间，ISO 8601 带时区；不得晚于服务器时间 5 分钟以上' },
        },
      },
    },
  },
}

/** The body of POST /api/ingest/assessments, checked inside the handler (after the API key). */
export const INGEST_ASSESSMENTS_BODY: JsonSchema = {
  type: 'object',
  required: ['assessments'],
  properties: {
    assessments: {
      type: 'array', minItems: 1, maxItems: 10_000, description: '风险评估，每次最多 10,000 条；全部通过才记录，任何一条有误则都不记录',
      items: {
        type: 'object',
        required: ['featureId', 'inputs'],
        properties: {
          featureId: { type: 'integer', minimum: 1, description: '风险点或危险源的要素编号（须属于密钥所属系统的部门）' },
          inputs: {
            type: 'object', required: ['kind'], additionalProperties: true,
            description: '按该点所用模型填写：{"kind":"matrix","likelihood":1–5,"consequence":1–5}；{"kind":"lec","l":…,"e":…,"c":…}（取值须在模型的表中）；{"kind":"indicator","values":{"exposure":0–100,…}}',
          },
          override: { type: 'object', nullable: true, required: ['level', 'reason'], properties: { level: { type: 'string', enum: ['red', 'orange', 'yellow', 'blue'] }, reason: { type: 'string', minLength: 4, maxLength: 500 } }, description: '可选：人工调整的等级和理由' },
          assessedAt: { type: 'string', format: 'date-time', nullable: true, description: '可选：评估时间，ISO 8601 带时区；不得晚于服务器时间，不得早于该点最近一次评估' },
        },
      },
    },
  },
}

/** The multipart upload of the 风险评估导入表 (preview and import). */
export const ASSESSMENT_UPLOAD_BODY: JsonSchema = {
  type: 'object',
  required: ['file'],
  properties: { file: { type: 'string', format: 'binary', description: '填好的《风险评估导入表》（.xlsx 或 .csv，最大 10 MB）' } },
}

/** The multipart upload of the survey forms' preview and import. */
export const FORM_UPLOAD_BODY: JsonSchema = {
  type: 'object',
  required: ['file'],
  properties: {
    file: { type: 'string', format: 'binary', description: '填好的 Excel 表格（.xlsx，最大 10 MB）' },
    department: { type: 'string', pattern: '^[1-9][0-9]{0,15}$', description: '部门编号；填报人员默认本单位，管理员可指定' },
    mode: {
      type: 'string', enum: ['replace', 'merge'], default: 'replace',
      description: 'replace（默认）：表格是本单位的完整答复，本单位已有而表中没有的系统或数据资源将被删除（预览的 summary.deleted 给出将删除的系统、数据资源、数据项和地图要素数）；merge：仅新增和修改，不删除表中没有的。预览与确认导入须使用同一 mode（planHash 含 mode）',
    },
    planHash: { type: 'string', description: '确认导入时必填：预览返回的 planHash，保证导入的正是预览过的内容（同一文件、同一 mode）' },
  },
}

/**
 * A multipart upload: the file plus the text fields a zod schema checks (generated from it), with the
 * descriptions of the fields that JSON Schema of the zod schema cannot carry.
 */
export function multipartUpload(fields: ZodType, file: string, descriptions: Record<string, string>): JsonSchema {
  const json = jsonSchemaOf(fields)
  const props = (json.properties ?? {}) as Record<string, JsonSchema>
  return {
    type: 'object',
    required: ['file', ...((json.required ?? []) as string[])],
    properties: {
      file: { type: 'string', format: 'binary', description: file },
      ...Object.fromEntries(Object.entries(props).map(([k, v]) => [k, descriptions[k] ? { ...v, description: descriptions[k] } : v])),
    },
  }
}
