import { Hono } from 'hono'
import { allow } from '../auth/allow.js'
import type { Context } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../db/deps.js'
import { badRequest, forbidden, notFound } from '../http/errors.js'
import { idParam, validate } from '../http/validate.js'
import { createRound, listRounds, reportsOf, roundById, updateRound, type RoundInput } from './queries.js'

/** A deadline with its zone (2022-03-21T12:00+08:00); stored as UTC ISO time. */
const deadline = z.string({ message: '请填写截止时间' }).trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, '须为带时区的日期时间，如 2022-03-21T12:00+08:00')
  .refine((s) => !Number.isNaN(Date.parse(s)), '不是有效的日期时间')
  .transform((s) => new Date(s).toISOString())
const roundBody = z.object({
  title: z.string({ message: '请填写批次名称' }).trim().min(1, '请填写批次名称').max(100, '批次名称不能超过 100 个字符'),
  systemsDeadline: deadline,
  resourcesDeadline: deadline,
  departmentIds: z.array(z.number().int().positive(), { message: '请选择参加的部门' }).min(1, '请至少选择一个部门').max(500),
})

/** Survey rounds (摸排批次): their deadlines, departments and each department's reporting progress. */
export function surveyRoutes(deps: AppDeps) {
  const { db } = deps
  const checked = async (input: RoundInput) => {
    if (Date.parse(input.resourcesDeadline) < Date.parse(input.systemsDeadline)) {
      throw badRequest('resourcesDeadline', '数据资源摸排表的截止时间不能早于系统调研表的截止时间')
    }
    const known = await db.kysely.selectFrom('departments').select('id').where('id', 'in', input.departmentIds).execute()
    const missing = input.departmentIds.filter((id) => !known.some((k) => k.id === id))
    if (missing.length) throw badRequest('departmentIds', `未知的部门：${missing.join('、')}`)
    return { ...input, departmentIds: [...new Set(input.departmentIds)] }
  }
  const withProgress = async (id: number) => {
    const round = await roundById(db, id)
    if (!round) throw notFound('survey round', id)
    return { round, reports: await reportsOf(db, round, deps.now()) }
  }
  const adminOnly = (c: Context) => {
    const v = c.get('viewer')
    if (v.kind !== 'user' || v.user.role !== 'admin') throw forbidden('只有系统管理员可以创建或修改摸排批次')
  }
  return new Hono()
    .get('/survey-rounds', allow('read'), async (c) => c.json({ items: await listRounds(db) }))
    .get('/survey-rounds/:id', allow('read'), validate('param', idParam), async (c) => c.json(await withProgress(c.req.valid('param').id)))
    .post('/survey-rounds', allow('write', { audit: 'create' }), validate('json', roundBody), async (c) => {
      adminOnly(c)
      const id = await createRound(db, await checked(c.req.valid('json')), deps.now())
      return c.json(await withProgress(id), 201)
    })
    .put('/survey-rounds/:id', allow('write', { audit: 'update' }), validate('param', idParam), validate('json', roundBody), async (c) => {
      const { id } = c.req.valid('param')
      // Every signed-in user sees every round: a missing one is 404, an existing one 403 to all but administrators.
      if (!(await roundById(db, id))) throw notFound('survey round', id)
      adminOnly(c)
      await updateRound(db, id, await checked(c.req.valid('json')))
      return c.json(await withProgress(id))
    })
}
