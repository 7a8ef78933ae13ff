import { Hono } from 'hono'
import { assertLocalDepartment } from '../selection/provenance.js'
import { allow } from '../auth/allow.js'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { featureFilterSchema } from '../selection/filters.js'
import { narrowsResources } from '../selection/filters.js'
import { resolveFilter } from '../selection/resolve.js'
import type { AppDeps } from '../db/deps.js'
import { AppError, badRequest, forbidden, notFound } from '../http/errors.js'
import { idParam, validate } from '../http/validate.js'
import { latestRound } from '../survey/queries.js'
import { exportResources, exportSystems } from './export.js'
import { FORM_LIMITS, FormFileError } from './file-guard.js'
import { IMPORT_MODES, type FormKind, type ImportMode } from '../domain/forms.js'
import { confirmImport, previewImport } from './import.js'
import type { UploadedFile } from './upload-sheets.js'
import { RESOURCES_FORM_TITLE, SYSTEMS_FORM_TITLE } from './layout.js'
import { hasReportRow, markNoSystems } from './queries.js'
import { scopeOf } from '../selection/scope.js'
import { mayEdit, mayExport, type Viewer } from '../domain/access.js'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const formParam = z.object({ form: z.enum(['systems', 'resources'], { message: "must be 'systems' (附件2) or 'resources' (附件3)" }) })
const departmentQuery = z.object({ department: z.string().regex(/^[1-9][0-9]{0,15}$/, 'must be a department id').transform(Number).optional() })
const exportFilter = featureFilterSchema.omit({ bbox: true, kind: true, risk: true })

/** The upload limit with room for the multipart envelope; larger bodies get 413 before being read. */
const uploadLimit = bodyLimit({
  maxSize: FORM_LIMITS.maxFileBytes + 64 * 1024,
  onError: (c) => c.json({ error: { code: 'too_large', message: `文件大小超过上限 ${FORM_LIMITS.maxFileBytes / 1024 / 1024} MB` } }, 413),
})

function attachment(name: string): string {
  return `attachment; filename="form.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`
}

async function uploaded(form: FormData | Record<string, unknown>): Promise<{ file: UploadedFile; departmentId: number | null; mode: ImportMode; planHash: string | null }> {
  const get = (k: string) => (form instanceof FormData ? form.get(k) : form[k])
  const file = get('file')
  if (!(file instanceof File)) throw badRequest('file', '请选择要上传的文件（表单字段 file）')
  if (file.size > FORM_LIMITS.maxFileBytes) throw new AppError(413, 'too_large', `文件大小超过上限 ${FORM_LIMITS.maxFileBytes / 1024 / 1024} MB`)
  const dept = get('department')
  let departmentId: number | null = null
  if (typeof dept === 'string' && dept !== '') {
    if (!/^[1-9][0-9]{0,15}$/.test(dept)) throw badRequest('department', 'department must be a department id')
    departmentId = Number(dept)
  }
  const mode = get('mode') ?? 'replace'
  if (!IMPORT_MODES.includes(mode as ImportMode)) {
    throw badRequest('mode', 'mode 须为 replace（表格是本单位的完整答复，表中没有的将被删除）或 merge（仅新增和修改，不删除）')
  }
  const hash = get('planHash')
  return {
    file: { name: file.name || 'upload', bytes: Buffer.from(await file.arrayBuffer()) }, departmentId, mode: mode as ImportMode,
    planHash: typeof hash === 'string' ? hash : null,
  }
}

/** The survey forms: templates, import with preview, export, and "no systems". */
export function formRoutes(deps: AppDeps) {
  const { db } = deps
  const assertDepartment = async (id: number | null | undefined) => {
    if (id == null) return
    const d = await db.kysely.selectFrom('departments').select('id').where('id', '=', id).executeTakeFirst()
    if (!d) throw notFound('department', id)
  }
  const asFormError = (err: unknown): never => {
    if (err instanceof FormFileError) throw new AppError(err.code === 'too_large' ? 413 : 400, err.code, err.message)
    throw err
  }
  /** Reporters upload for their own department only (the default when they name none); administrators for any. */
  const uploadDepartment = (viewer: Viewer, asked: number | null): number | null => {
    if (viewer.kind === 'user' && viewer.user.role === 'admin') return asked
    const own = viewer.kind === 'user' && viewer.user.role === 'reporter' ? viewer.user.departmentId : null
    if (own === null) throw forbidden('只有填报人员和系统管理员可以导入表格')
    if (asked !== null && asked !== own) throw forbidden('填报人员只能导入本单位的表格')
    return own
  }
  const departmentName = async (id: number | undefined) =>
    id === undefined ? '' : ((await db.kysely.selectFrom('departments').select('name').where('id', '=', id).executeTakeFirst())?.name ?? '')

  return new Hono()
    .get('/forms/:form/template.xlsx', allow('read', { audit: 'export' }), validate('param', formParam), validate('query', departmentQuery), async (c) => {
      const { form } = c.req.valid('param')
      const { department } = c.req.valid('query')
      await assertDepartment(department)
      // A template carries the department's systems: an export of them, for those who may fill it in.
      const viewer = c.get('viewer')
      if (!mayExport(viewer, department ? [department] : null)) throw forbidden('当前角色不能下载该部门的填报模板')
      const scope = { departmentIds: department ? [department] : [] }
      const bytes = form === 'systems' ? await exportSystems(db, department ? scope : { departmentIds: [], resourceIds: [] }, true) : await exportResources(db, scope, true)
      const title = form === 'systems' ? SYSTEMS_FORM_TITLE : RESOURCES_FORM_TITLE
      const name = `${await departmentName(department)}${title}（模板）.xlsx`
      return c.body(new Uint8Array(bytes), 200, { 'Content-Type': XLSX, 'Content-Disposition': attachment(name), 'Cache-Control': 'no-store' })
    })
    .get('/forms/:form/export.xlsx', allow('read', { audit: 'export' }), validate('param', formParam), validate('query', exportFilter), async (c) => {
      const { form } = c.req.valid('param')
      const f = c.req.valid('query')
      if (!mayExport(c.get('viewer'), f.department ?? null)) throw forbidden('当前角色不能导出该范围的表格')
      const onlyDepartments = Object.entries(f).every(([k, v]) => k === 'department' || v === undefined)
      const visibility = scopeOf(c)
      const { resources } = await resolveFilter(deps, f, visibility)
      // Annex 3 lists resources: only those the viewer may see. Annex 2 lists systems, visible to every signed-in user.
      const filtered = !onlyDepartments && narrowsResources(f)
      const byResource = filtered || (form === 'resources' && !visibility.rule.all)
      const scope = { departmentIds: f.department ?? [], ...(byResource ? { resourceIds: resources.map((r) => r.id) } : {}) }
      const bytes = form === 'systems' ? await exportSystems(db, scope, false) : await exportResources(db, scope, false)
      const title = form === 'systems' ? SYSTEMS_FORM_TITLE : RESOURCES_FORM_TITLE
      const who = !onlyDepartments ? '筛选结果' : f.department?.length === 1 ? await departmentName(f.department[0]) : f.department?.length ? '多部门' : '全区'
      return c.body(new Uint8Array(bytes), 200, { 'Content-Type': XLSX, 'Content-Disposition': attachment(`${who}${title}.xlsx`), 'Cache-Control': 'no-store' })
    })
    .post('/forms/:form/preview', allow('write', { upload: true, audit: null }), uploadLimit, validate('param', formParam), async (c) => {
      const { form } = c.req.valid('param')
      const { file, departmentId: asked, mode } = await uploaded(await c.req.formData().catch(() => { throw badRequest('file', '请求不是 multipart/form-data 上传') }))
      const departmentId = uploadDepartment(c.get('viewer'), asked)
      await assertDepartment(departmentId)
      if (departmentId !== null) await assertLocalDepartment(db, departmentId)
      const preview = await previewImport(db, form as FormKind, file, departmentId, mode, deps.now()).catch(asFormError)
      return c.json(preview)
    })
    .post('/forms/:form/import', allow('write', { upload: true, audit: 'import' }), uploadLimit, validate('param', formParam), async (c) => {
      const { form } = c.req.valid('param')
      const { file, departmentId: asked, mode, planHash } = await uploaded(await c.req.formData().catch(() => { throw badRequest('file', '请求不是 multipart/form-data 上传') }))
      const departmentId = uploadDepartment(c.get('viewer'), asked)
      if (!planHash) throw badRequest('planHash', '缺少 planHash：请先预览，再确认导入')
      await assertDepartment(departmentId)
      if (departmentId !== null) await assertLocalDepartment(db, departmentId)
      const result = await confirmImport(deps, form as FormKind, file, departmentId, mode, planHash, deps.now()).catch(asFormError)
      if (result.outcome === 'invalid') {
        throw new AppError(422, 'form_invalid', `表格有 ${result.preview.problems.length} 处问题，未导入任何数据`, { problems: result.preview.problems })
      }
      if (result.outcome === 'stale') {
        throw new AppError(409, 'plan_changed', '预览之后目录已发生变化，请重新预览后再确认', { preview: result.preview })
      }
      return c.json(result.preview)
    })
    .post('/departments/:id/no-systems', allow('write', { audit: 'update' }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      await assertDepartment(id)
      if (!mayEdit(c.get('viewer'), id)) throw forbidden('只能为本单位反馈“无系统”')
      await assertLocalDepartment(db, id)
      const round = await latestRound(db)
      if (!round || !(await hasReportRow(db, round.id, id))) throw new AppError(409, 'not_in_round', '该部门不在当前摸排批次中')
      const systems = await db.kysely.selectFrom('systems').select((e) => e.fn.countAll<number>().as('n')).where('department_id', '=', id).executeTakeFirstOrThrow()
      if (Number(systems.n) > 0) {
        throw new AppError(409, 'has_systems', `该部门已填报 ${systems.n} 个系统，不能反馈“无系统”；如确无系统，请先删除已填报的系统`)
      }
      await markNoSystems(db, round.id, id, deps.now())
      return c.json({ ok: true })
    })
}
