import { Hono } from 'hono'
import { assertLocalDepartment } from '../selection/provenance.js'
import { allow } from '../auth/allow.js'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { scopeOf } from '../selection/scope.js'
import { resolveFilter } from '../selection/resolve.js'
import type { AppDeps } from '../db/deps.js'
import { mayEdit } from '../domain/access.js'
import { FEATURE_KINDS, codesOf } from '../domain/enums.js'
import { RegionLocator } from '../geo/regions.js'
import { AppError, badRequest, forbidden, notFound } from '../http/errors.js'
import { idParam, validate } from '../http/validate.js'
import { CRS_CHOICES } from './crs.js'
import { GEODATA_LIMITS, GeodataFileError } from './limits.js'
import { runGeodataImport } from './import.js'
import { previewGeodata, type GeodataOptions, type UploadedFile } from './plan.js'
import { resourceDepartment } from './queries.js'

const tooLarge = () => new AppError(413, 'too_large', `文件大小超过上限 ${GEODATA_LIMITS.maxFileBytes / 1024 / 1024} MB`)

/** The upload limit with room for the multipart envelope; larger bodies get 413 before being read. */
const uploadLimit = bodyLimit({ maxSize: GEODATA_LIMITS.maxFileBytes + 64 * 1024, onError: () => { throw tooLarge() } })

const column = z.string().trim().min(1, 'must name a column').max(200).nullable()
/** The mapping form field: JSON naming the columns for name, kind, risk, longitude, latitude or WKT. */
export const geodataMappingSchema = z.object({
  name: column.optional(), kind: column.optional(), risk: column.optional(), lon: column.optional(), lat: column.optional(), wkt: column.optional(),
  kindFixed: z.enum(codesOf(FEATURE_KINDS), { message: `must be one of ${FEATURE_KINDS.map((k) => k.code).join(', ')}` }).nullable().optional(),
}).strict()
/** The text fields of a geodata upload besides the file. */
export const geodataFieldsSchema = z.object({
  crs: z.enum(CRS_CHOICES, { message: `must be one of ${CRS_CHOICES.join(', ')}` }).default('auto'),
  encoding: z.enum(['auto', 'utf-8', 'gbk'], { message: 'must be auto, utf-8 or gbk' }).default('auto'),
  mapping: z.string().max(10_000).default('{}'),
  planHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the planHash of a preview').optional(),
})

async function uploaded(form: FormData): Promise<{ file: UploadedFile; options: GeodataOptions; planHash: string | undefined }> {
  const file = form.get('file')
  if (!(file instanceof File)) throw badRequest('file', '请选择要上传的文件（表单字段 file）')
  if (file.size > GEODATA_LIMITS.maxFileBytes) throw tooLarge()
  const text = (k: string) => { const v = form.get(k); return typeof v === 'string' && v !== '' ? v : undefined }
  const fields = geodataFieldsSchema.safeParse({ crs: text('crs'), encoding: text('encoding'), mapping: text('mapping'), planHash: text('planHash') })
  if (!fields.success) {
    const i = fields.error.issues[0]!
    const parameter = String(i.path[0] ?? 'body')
    throw badRequest(parameter, `invalid ${parameter}: ${i.message}`)
  }
  let raw: unknown
  try { raw = JSON.parse(fields.data.mapping) } catch { throw badRequest('mapping', 'invalid mapping: must be JSON') }
  const mapping = geodataMappingSchema.safeParse(raw)
  if (!mapping.success) {
    const i = mapping.error.issues[0]!
    throw badRequest('mapping', `invalid mapping${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`)
  }
  return {
    file: { name: file.name || 'upload', bytes: Buffer.from(await file.arrayBuffer()) },
    options: { crs: fields.data.crs, encoding: fields.data.encoding, mapping: mapping.data },
    planHash: fields.data.planHash,
  }
}

/**
 * Geodata import into a resource (GeoJSON, CSV, KML, KMZ, zipped shapefile): a preview that writes
 * nothing, and an all-or-nothing import of exactly what was previewed that replaces the resource's
 * features and records the update in its history.
 */
export function geodataRoutes(deps: AppDeps) {
  const { db } = deps
  let locator: Promise<RegionLocator> | null = null
  const regions = () => (locator ??= RegionLocator.load(db))

  /** The resource, if the viewer may see it (404 otherwise, as if it did not exist) and edit its department (403). */
  const editableResource = async (c: Parameters<typeof scopeOf>[0], id: number) => {
    const [visible] = (await resolveFilter(deps, { resource: [id] }, scopeOf(c))).resources
    const departmentId = visible ? await resourceDepartment(db, id) : null
    if (!visible || departmentId === null) throw notFound('resource', id)
    if (!mayEdit(c.get('viewer'), departmentId)) throw forbidden('只有本单位填报人员和系统管理员可以导入该资源的空间数据')
    await assertLocalDepartment(db, departmentId)
  }
  /** A file refused as a whole answers with its status and words. */
  const refusingFiles = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work()
    } catch (err) {
      if (err instanceof GeodataFileError) throw new AppError(err.status, err.code, err.message)
      throw err
    }
  }
  const formOf = (c: { req: { formData: () => Promise<FormData> } }) => c.req.formData().catch(() => { throw badRequest('file', '请求不是 multipart/form-data 上传') })

  return new Hono()
    .post('/resources/:id/geodata/preview', allow('write', { upload: true, audit: null }), uploadLimit, validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      await editableResource(c, id)
      const { file, options } = await uploaded(await formOf(c))
      return c.json(await refusingFiles(() => previewGeodata(db, id, file, options)))
    })
    .post('/resources/:id/geodata/import', allow('write', { upload: true, audit: 'import' }), uploadLimit, validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      await editableResource(c, id)
      const { file, options, planHash } = await uploaded(await formOf(c))
      if (!planHash) throw badRequest('planHash', '缺少 planHash：请先预览，再确认导入')
      const updatedAt = deps.now().toISOString()
      const done = await refusingFiles(() => runGeodataImport(deps, regions, { resourceId: id, file, options, planHash, updatedAt }))
      const { preview } = done
      if (done.outcome === 'invalid') {
        throw new AppError(422, 'geodata_invalid', `文件有 ${preview.problemCount} 处问题，未导入任何数据`, { problems: preview.problems })
      }
      if (done.outcome === 'stale') {
        throw new AppError(409, 'plan_changed', '预览之后文件、选项或资源的要素已发生变化，请重新预览后再确认', { preview })
      }
      const { result } = done
      return c.json({ resourceId: id, inserted: result.inserted, removed: result.removed, updateId: result.updateId, updatedAt })
    })
}
