import type { Context } from 'hono'
import { Hono } from 'hono'
import { z } from 'zod'
import { allow } from '../auth/allow.js'
import type { AccessControl } from '../auth/access-control.js'
import type { AppDeps } from '../db/deps.js'
import { uniqueViolation } from '../db/dialect.js'
import { FEDERATION_TOKEN_PREFIX, HARVEST_KINDS, type HarvestRecordKind } from '../domain/federation.js'
import { AppError, notFound } from '../http/errors.js'
import { idParam, positiveId, validate } from '../http/validate.js'
import { harvesterFor } from './runner.js'
import { deleteSource, insertSource, jobById, listJobs, setJobStatus, sourceById, sourceInfos, sourceNameTaken, updateSource } from './queries.js'

const sourceBody = z.object({
  kind: z.enum(HARVEST_KINDS, { message: "类型须为 atlas（区县平台）或 dcat（DCAT 目录）" }),
  name: z.string({ message: '请填写名称' }).trim().min(1, '请填写名称').max(50, '名称最多 50 个字符'),
  url: z.string({ message: '请填写地址' }).trim().max(500, '地址最多 500 个字符').refine((u) => {
    try {
      const p = new URL(u).protocol
      return p === 'http:' || p === 'https:'
    } catch {
      return false
    }
  }, '地址须为 http:// 或 https:// 开头的网址'),
  token: z.string().trim().max(200, '令牌最多 200 个字符').default(''),
  defaultSubcategory: z.string().trim().max(50).nullable().default(null),
  scheduleMinutes: z.number({ message: '须为分钟数' }).int('须为整数').min(5, '至少 5 分钟').max(10_080, '至多 7 天（10080 分钟）').default(15),
  deleteThreshold: z.number({ message: '须为 0 到 1 之间的比例' }).min(0, '不能小于 0').max(1, '不能大于 1').default(0.1),
  enabled: z.boolean().default(true),
})

/**
 * Harvesting at a city atlas, for its administrators: the sources (district atlases with their
 * federation tokens, DCAT catalogs), running a job now, the jobs with their reports, and confirming or
 * declining the deletions the guard stopped. Each change and each job is audited.
 */
export function harvestRoutes(deps: AppDeps, access: AccessControl) {
  const { db } = deps
  const harvester = harvesterFor(deps)
  const requireCity = () => {
    if ((deps.role ?? 'district') !== 'city') {
      throw new AppError(409, 'not_city', '本平台是区县平台（ATLAS_ROLE=district）；汇聚其他平台的数据须以 ATLAS_ROLE=city 启动市级平台')
    }
  }
  const who = (c: Context) => {
    const v = c.get('viewer')
    return v.kind === 'user' ? { id: v.user.id, username: v.user.username, role: v.user.role } : null
  }
  const checkBody = async (body: z.infer<typeof sourceBody>, id: number | null) => {
    if (body.kind === 'atlas' && (id === null || body.token) && !body.token.startsWith(FEDERATION_TOKEN_PREFIX)) {
      throw new AppError(400, 'invalid_parameter', `invalid token: 区县平台须填写该区县管理员签发的汇聚令牌（${FEDERATION_TOKEN_PREFIX}…）`, { parameter: 'token' })
    }
    if (body.defaultSubcategory) {
      const known = await db.kysely.selectFrom('subcategories').select('code').where('code', '=', body.defaultSubcategory).executeTakeFirst()
      if (!known) throw new AppError(400, 'invalid_parameter', `invalid defaultSubcategory: 未知的子类 ${body.defaultSubcategory}`, { parameter: 'defaultSubcategory' })
    }
    if (await sourceNameTaken(db, body.name, id)) throw new AppError(409, 'conflict', `已有名为「${body.name}」的汇聚来源`)
  }
  const started = async (c: Context, sourceId: number, cause: 'manual' | 'confirmed', confirmed: Partial<Record<HarvestRecordKind, number>> | null) => {
    const run = await harvester.start(sourceId, cause, who(c), confirmed)
    if (!run) throw new AppError(409, 'job_running', '该来源已有任务在运行，请等它结束')
    return c.json(await jobById(db, run.jobId), 202)
  }

  return new Hono()
    .get('/harvest/sources', allow('admin'), async (c) => c.json({ role: deps.role ?? 'district', items: await sourceInfos(db, deps.now()) }))
    .post('/harvest/sources', allow('admin', { audit: 'harvest-source' }), validate('json', sourceBody), async (c) => {
      requireCity()
      const body = c.req.valid('json')
      await checkBody(body, null)
      const id = await insertSource(db, body, who(c)?.id ?? null, deps.now())
        .catch((err: unknown) => { throw uniqueViolation(err) ? new AppError(409, 'conflict', `已有名为「${body.name}」的汇聚来源`) : err })
      await access.audit(c, 'harvest-source', body.name, 'success', `新建 ${body.kind} ${body.url}，每 ${body.scheduleMinutes} 分钟，删除阈值 ${Math.round(body.deleteThreshold * 100)}%`)
      return c.json((await sourceInfos(db, deps.now())).find((s) => s.id === id), 201)
    })
    .put('/harvest/sources/:id', allow('admin', { audit: 'harvest-source' }), validate('param', idParam), validate('json', sourceBody), async (c) => {
      requireCity()
      const { id } = c.req.valid('param')
      const body = c.req.valid('json')
      const source = await sourceById(db, id)
      if (!source) throw notFound('harvest source', id)
      if (body.kind !== source.kind) throw new AppError(400, 'invalid_parameter', 'invalid kind: 来源的类型不能修改', { parameter: 'kind' })
      await checkBody(body, id)
      await updateSource(db, id, { ...body, token: body.token || null })
      await access.audit(c, 'harvest-source', body.name, 'success', `修改 ${body.url}，每 ${body.scheduleMinutes} 分钟，删除阈值 ${Math.round(body.deleteThreshold * 100)}%${body.enabled ? '' : '，已停用'}${body.token ? '，更换令牌' : ''}`)
      return c.json((await sourceInfos(db, deps.now())).find((s) => s.id === id))
    })
    .delete('/harvest/sources/:id', allow('admin', { audit: 'harvest-source' }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      const source = await sourceById(db, id)
      if (!source) throw notFound('harvest source', id)
      await deleteSource(db, id)
      await access.audit(c, 'harvest-source', source.name, 'success', '删除来源及其汇聚的全部数据')
      return c.body(null, 204)
    })
    .post('/harvest/sources/:id/run', allow('admin', { audit: 'harvest-run' }), validate('param', idParam), async (c) => {
      requireCity()
      const { id } = c.req.valid('param')
      if (!(await sourceById(db, id))) throw notFound('harvest source', id)
      return started(c, id, 'manual', null)
    })
    .get('/harvest/jobs', allow('admin'), validate('query', z.object({
      source: positiveId.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    })), async (c) => {
      const q = c.req.valid('query')
      return c.json({ items: await listJobs(db, q.source ?? null, q.limit) })
    })
    .get('/harvest/jobs/:id', allow('admin'), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      const job = await jobById(db, id)
      if (!job) throw notFound('harvest job', id)
      return c.json(job)
    })
    .post('/harvest/jobs/:id/confirm', allow('admin', { audit: 'harvest-confirm' }), validate('param', idParam), async (c) => {
      requireCity()
      const { id } = c.req.valid('param')
      const job = await waitingJob(id)
      const confirmed = Object.fromEntries((job.report?.guard ?? []).map((g) => [g.kind, g.deleting]))
      await setJobStatus(db, id, 'confirmed')
      await access.audit(c, 'harvest-confirm', `${job.sourceName} 任务 ${id}`, 'success',
        `确认删除 ${(job.report?.guard ?? []).map((g) => `${g.kind} ${g.deleting}/${g.of}`).join('，')}`)
      return started(c, job.sourceId, 'confirmed', confirmed)
    })
    .post('/harvest/jobs/:id/decline', allow('admin', { audit: 'harvest-confirm' }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      const job = await waitingJob(id)
      await setJobStatus(db, id, 'declined')
      await access.audit(c, 'harvest-confirm', `${job.sourceName} 任务 ${id}`, 'success', '拒绝删除：保留市级已有数据，来源暂停自动汇聚，直到管理员再次运行')
      return c.json(await jobById(db, id))
    })

  async function waitingJob(id: number) {
    const job = await jobById(db, id)
    if (!job) throw notFound('harvest job', id)
    if (job.status !== 'awaiting-confirmation') throw new AppError(409, 'not_waiting', `该任务的状态是“${job.status}”，没有等待确认的删除`)
    const [latest] = await listJobs(db, job.sourceId, 1)
    if (latest && latest.id !== id) throw new AppError(409, 'superseded', '该来源之后已有新的任务；请在最新任务上确认')
    return job
  }
}
