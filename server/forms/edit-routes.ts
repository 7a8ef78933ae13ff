/**
 * On-screen editing of systems, resources and items, with the rules of the survey forms: the same
 * drafts, the same checks and the same writes as an import (a changed resource enters its update
 * history as 在线编辑). Problems come back as 400 with every field and a Chinese message.
 */
import { Hono } from 'hono'
import { allow } from '../auth/allow.js'
import type { Context } from 'hono'
import { scopeOf } from '../selection/scope.js'
import { assertLocalDepartment } from '../selection/provenance.js'
import { mayEdit } from '../domain/access.js'
import { z } from 'zod'
import type { AppDeps } from '../db/deps.js'
import { inTransaction } from '../db/dialect.js'
import {
  BUILD_LEVELS, DATA_TYPES, DEPLOYMENTS, NETWORKS, PURPOSES, RUN_STATUSES, SECURITY_LEVELS, SENSITIVITIES, SHARING_ATTRIBUTES,
  SHARING_MODES, SUBJECT_CLASSES, UPDATE_CYCLES, codesOf, labelOf,
} from '../domain/enums.js'
import { AppError, forbidden, notFound } from '../http/errors.js'
import { idParam, validate } from '../http/validate.js'
import type { ResourceDraft, SystemDraft } from './model.js'
import { nameKey, readPhone } from './normalise.js'
import { canonicalText } from '../domain/text.js'
import { resourceChange } from './plan.js'
import {
  applyResourcesPlan, applySystemsPlan, categoryNames, existingResources, existingSystems, loadFormContext,
} from './queries.js'
import { visibleDepartment, visibleResource, visibleSystem } from '../selection/resolve.js'

// Text is kept in its canonical form (spaces folded, no control characters), as a form import keeps it.
const text = (max: number) => z.string().overwrite(canonicalText).max(max, `不能超过 ${max} 个字符`).default('')
const required = (label: string, max = 200) => z.string({ message: `缺少必填项「${label}」` }).overwrite(canonicalText).min(1, `缺少必填项「${label}」`).max(max, `不能超过 ${max} 个字符`)
const oneOf = <T extends readonly { code: string; label: string }[]>(entries: T, label: string) =>
  z.enum(codesOf(entries), { message: `「${label}」须为 ${entries.map((e) => e.label).join('、')} 之一` })
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '填报时间须为日期，如 2022-03-20').nullable().default(null)

const footer = {
  reviewer: text(50),
  filler: text(50),
  phone: text(40).refine((p) => p === '' || readPhone(p).ok, '联系电话不是有效的电话号码'),
  filledAt: date,
}

const systemBody = z.object({
  name: required('系统名称'),
  buildLevel: oneOf(BUILD_LEVELS, '建设方式'),
  builder: text(200),
  operator: text(200),
  deployment: oneOf(DEPLOYMENTS, '系统部署位置'),
  runStatus: oneOf(RUN_STATUSES, '运行状态'),
  securityLevel: oneOf(SECURITY_LEVELS, '等级级别'),
  sharesData: z.boolean({ message: '「已对外提供数据」须为是或否' }),
  sharingModes: z.array(oneOf(SHARING_MODES, '提供数据方式')).max(3).default([]),
  networks: z.array(oneOf(NETWORKS, '网络类型'), { message: '请至少选择一种网络类型' }).min(1, '请至少选择一种网络类型').max(4),
  ...footer,
}).refine((s) => !s.sharesData || s.sharingModes.length > 0, { message: '已对外提供数据为「是」时，须填写提供数据方式', path: ['sharingModes'] })

const itemBody = z.object({
  name: required('数据项名称', 100),
  dataType: oneOf(DATA_TYPES, '数据类型'),
  length: z.number({ message: '数据长度须为正整数' }).int('数据长度须为正整数').positive('数据长度须为正整数').max(1_000_000_000, '数据长度过大'),
})

const resourceBody = z.object({
  systemId: z.number().int().positive().optional(),
  name: required('数据资源名称'),
  subcategoryCode: required('数据资源所属类别', 50),
  provisionMode: oneOf(SHARING_MODES, '数据提供方式'),
  updateCycle: oneOf(UPDATE_CYCLES, '更新周期'),
  subjectClass: oneOf(SUBJECT_CLASSES, '人地事物'),
  purpose: oneOf(PURPOSES, '用途'),
  sharingAttribute: oneOf(SHARING_ATTRIBUTES, '共享属性'),
  sensitivity: oneOf(SENSITIVITIES, '敏感级别'),
  items: z.array(itemBody, { message: '一项数据资源至少要有一个数据项' }).min(1, '一项数据资源至少要有一个数据项').max(2000, '数据项不能超过 2000 个'),
  ...footer,
})

/** 400 with every problem, each naming its field. */
function invalid(problems: { field: string; message: string }[]): AppError {
  const issues = problems.map((p) => ({ parameter: p.field, message: p.message }))
  return new AppError(400, 'invalid_parameter', problems.map((p) => p.message).join('；'), { parameter: issues[0]!.parameter, issues })
}

/** The edit routes: create, change and delete systems and resources (with their items). */
export function editRoutes(deps: AppDeps) {
  const { db } = deps
  const systemsOfDepartment = (departmentId: number) => existingSystems(db, [departmentId])

  const checkSystem = async (departmentId: number, body: z.infer<typeof systemBody>, selfId: number | null) => {
    const problems: { field: string; message: string }[] = []
    const others = (await systemsOfDepartment(departmentId)).filter((s) => s.id !== selfId)
    if (others.some((s) => nameKey(s.name) === nameKey(body.name))) problems.push({ field: 'name', message: `系统名称「${body.name}」在本部门已存在` })
    if (selfId !== null && body.buildLevel !== 'district') {
      const [self] = await existingSystems(db, [], [selfId])
      if (self && self.resourceCount > 0) {
        problems.push({ field: 'buildLevel', message: `该系统已登记 ${self.resourceCount} 项数据资源，建设方式须为区级建设（摸排表只填写区级建设业务系统的数据资源）` })
      }
    }
    if (problems.length) throw invalid(problems)
  }

  const checkResource = async (departmentId: number, systemId: number, body: z.infer<typeof resourceBody>, selfId: number | null) => {
    const ctx = await loadFormContext(db)
    const problems: { field: string; message: string }[] = []
    const system = ctx.systems.find((s) => s.id === systemId)
    if (!system || system.departmentId !== departmentId) problems.push({ field: 'systemId', message: '所属业务系统不属于本部门' })
    else if (system.buildLevel !== 'district') {
      problems.push({ field: 'systemId', message: `业务系统「${system.name}」为「${labelOf(BUILD_LEVELS, system.buildLevel)}」系统；只能为区级建设业务系统登记数据资源` })
    }
    if (!ctx.subcategories.some((s) => s.code === body.subcategoryCode)) problems.push({ field: 'subcategoryCode', message: `未知的数据资源所属类别「${body.subcategoryCode}」` })
    const siblings = await existingResources(db, { departmentIds: [departmentId] })
    if (siblings.some((r) => r.systemId === systemId && r.id !== selfId && nameKey(r.name) === nameKey(body.name))) {
      problems.push({ field: 'name', message: `该系统下已有名为「${body.name}」的数据资源` })
    }
    const seen = new Map<string, number>()
    body.items.forEach((item, i) => {
      const first = seen.get(nameKey(item.name))
      if (first !== undefined) problems.push({ field: `items.${i}.name`, message: `数据项「${item.name}」重复（第 ${first + 1} 项已填写）` })
      else seen.set(nameKey(item.name), i)
    })
    if (problems.length) throw invalid(problems)
    return system!
  }

  const draftOf = (departmentId: number, systemId: number, systemName: string, body: z.infer<typeof resourceBody>): ResourceDraft => ({
    departmentId, systemId, systemName, subcategoryCode: body.subcategoryCode, name: body.name, provisionMode: body.provisionMode,
    updateCycle: body.updateCycle, items: body.items, reviewer: body.reviewer, filler: body.filler, phone: body.phone, filledAt: body.filledAt,
    extras: { subjectClass: body.subjectClass, purpose: body.purpose, sharingAttribute: body.sharingAttribute, sensitivity: body.sensitivity },
  })

  /**
   * Reporters change only their own department; administrators any (SPEC §6). Asked only of what the
   * viewer may see: anything else answers 404 first (visibleResource, visibleSystem, visibleDepartment).
   */
  const allowEdit = async (c: Context, departmentId: number) => {
    if (!mayEdit(c.get('viewer'), departmentId)) throw forbidden('只能修改本单位的系统和数据资源')
    await assertLocalDepartment(deps.db, departmentId)
  }

  return new Hono()
    .post('/departments/:id/systems', allow('write', { audit: 'create' }), validate('param', idParam), validate('json', systemBody), async (c) => {
      const { id: departmentId } = c.req.valid('param')
      await visibleDepartment(deps, scopeOf(c), departmentId)
      await allowEdit(c, departmentId)
      const body = c.req.valid('json')
      await checkSystem(departmentId, body, null)
      const draft: SystemDraft = { departmentId, ...body }
      const [id] = (await inTransaction(db, (trx) => applySystemsPlan(trx, { changes: [{ action: 'add', departmentId, name: body.name, existingId: null, draft, fields: [], resourceCount: 0, itemCount: 0, featureCount: 0 }], unchanged: 0 }, deps.now())))
      return c.json({ id }, 201)
    })
    .put('/systems/:id', allow('write', { audit: 'update' }), validate('param', idParam), validate('json', systemBody), async (c) => {
      const { id } = c.req.valid('param')
      await visibleSystem(deps, scopeOf(c), id)
      const [existing] = await existingSystems(db, [], [id])
      if (!existing) throw notFound('system', id)
      await allowEdit(c, existing.departmentId)
      const body = c.req.valid('json')
      await checkSystem(existing.departmentId, body, id)
      const draft: SystemDraft = { departmentId: existing.departmentId, ...body }
      await inTransaction(db, (trx) => applySystemsPlan(trx, { changes: [{ action: 'change', departmentId: existing.departmentId, name: body.name, existingId: id, draft, fields: [], resourceCount: 0, itemCount: 0, featureCount: 0 }], unchanged: 0 }, deps.now()))
      return c.json({ id })
    })
    .delete('/systems/:id', allow('write', { audit: 'delete' }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      await visibleSystem(deps, scopeOf(c), id)
      const [existing] = await existingSystems(db, [], [id])
      if (!existing) throw notFound('system', id)
      await allowEdit(c, existing.departmentId)
      await inTransaction(db, (trx) => applySystemsPlan(trx, { changes: [{ action: 'remove', departmentId: existing.departmentId, name: existing.name, existingId: id, draft: null, fields: [], resourceCount: existing.resourceCount, itemCount: existing.itemCount, featureCount: existing.featureCount }], unchanged: 0 }, deps.now()))
      return c.json({ id, removedResources: existing.resourceCount, removedFeatures: existing.featureCount })
    })
    .post('/systems/:id/resources', allow('write', { audit: 'create' }), validate('param', idParam), validate('json', resourceBody), async (c) => {
      const { id: systemId } = c.req.valid('param')
      await visibleSystem(deps, scopeOf(c), systemId)
      const [system] = await existingSystems(db, [], [systemId])
      if (!system) throw notFound('system', systemId)
      await allowEdit(c, system.departmentId)
      const body = c.req.valid('json')
      await checkResource(system.departmentId, systemId, body, null)
      const draft = draftOf(system.departmentId, systemId, system.name, body)
      const [id] = (await inTransaction(db, (trx) => applyResourcesPlan(trx, { changes: [{
        action: 'add', departmentId: system.departmentId, systemId, systemName: system.name, name: body.name, existingId: null, draft,
        fields: [], items: { added: draft.items, changed: [], removed: [] }, contentChanged: true, featureCount: 0,
      }], unchanged: 0 }, deps.now(), 'manual')))
      return c.json({ id }, 201)
    })
    .put('/resources/:id', allow('write', { audit: 'update' }), validate('param', idParam), validate('json', resourceBody), async (c) => {
      const { id } = c.req.valid('param')
      await visibleResource(deps, scopeOf(c), id)
      const [existing] = await existingResources(db, { resourceIds: [id] })
      if (!existing) throw notFound('resource', id)
      await allowEdit(c, existing.departmentId)
      const body = c.req.valid('json')
      const systemId = body.systemId ?? existing.systemId
      const system = await checkResource(existing.departmentId, systemId, body, id)
      const change = resourceChange(existing, draftOf(existing.departmentId, systemId, system.name, body), await categoryNames(db))
      if (change) await inTransaction(db, (trx) => applyResourcesPlan(trx, { changes: [change], unchanged: 0 }, deps.now(), 'manual'))
      return c.json({ id, changed: change !== null && change.contentChanged })
    })
    .delete('/resources/:id', allow('write', { audit: 'delete' }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      await visibleResource(deps, scopeOf(c), id)
      const [existing] = await existingResources(db, { resourceIds: [id] })
      if (!existing) throw notFound('resource', id)
      await allowEdit(c, existing.departmentId)
      await inTransaction(db, (trx) => applyResourcesPlan(trx, { changes: [{
        action: 'remove', departmentId: existing.departmentId, systemId: existing.systemId, systemName: existing.systemName, name: existing.name,
        existingId: id, draft: null, fields: [], items: { added: [], changed: [], removed: existing.items }, contentChanged: true, featureCount: existing.featureCount,
      }], unchanged: 0 }, deps.now(), 'manual'))
      return c.json({ id, removedFeatures: existing.featureCount })
    })
}
