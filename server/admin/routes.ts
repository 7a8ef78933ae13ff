import { randomBytes } from 'node:crypto'
import { assertLocalDepartment } from '../selection/provenance.js'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { allow } from '../auth/allow.js'
import { z } from 'zod'
import type { AppDeps } from '../db/deps.js'
import { oneOf, uniqueViolation } from '../db/dialect.js'
import { AUDIT_ACTIONS, AUDIT_RESULTS, KIOSK_CEILINGS, ROLES, codesOf } from '../domain/enums.js'
import { AppError, badRequest, forbidden, notFound } from '../http/errors.js'
import { idParam, validate } from '../http/validate.js'
import { type AccessControl } from '../auth/access-control.js'
import { hashPassword, passwordProblem } from '../auth/passwords.js'
import {
  insertKioskLink, insertUser, kioskById, listAudit, listKioskLinks, listUsers, revokeKioskLink, setPassword, setSetting,
  unlockUser, updateUser, userById, usernameTaken, type UserFields,
} from '../auth/queries.js'
import { kioskTokenHash } from '../auth/routes.js'
import { kioskQueryProblem, scopeOf } from '../selection/scope.js'
import { endSessionsOf, removeTwoFactor } from '../auth/two-factor-queries.js'
import { departmentUsage, insertDepartment, renameDepartment, deleteDepartment, departmentNameTaken } from './department-queries.js'
import { visibleDepartment } from '../selection/resolve.js'

const userFields = z.object({
  displayName: z.string({ message: '请输入姓名' }).trim().min(1, '请输入姓名').max(50, '姓名最多 50 个字符'),
  role: z.enum(codesOf(ROLES), { message: `角色须为 ${codesOf(ROLES).join(' / ')}` }),
  departmentId: z.number({ message: '须为部门编号' }).int().positive().nullable().default(null),
  clearances: z.array(z.number().int().positive(), { message: '须为部门编号列表' }).max(200).default([]),
})
const newUser = userFields.extend({
  username: z.string({ message: '请输入用户名' }).trim().min(2, '用户名至少 2 个字符').max(64, '用户名最多 64 个字符')
    .regex(/^[\p{L}\p{N}._@-]+$/u, '用户名只能包含文字、数字和 . _ @ -'),
  password: z.string({ message: '请输入初始密码' }).max(200, '密码最多 200 个字符'),
})
const editUser = userFields.extend({ disabled: z.boolean({ message: '须为 true 或 false' }).default(false) })

const auditQuery = z.object({
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '须为日期 YYYY-MM-DD').optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '须为日期 YYYY-MM-DD').optional(),
  user: z.string().trim().max(64).optional(),
  action: z.enum(codesOf(AUDIT_ACTIONS), { message: '未知的操作类型' }).optional(),
  result: z.enum(codesOf(AUDIT_RESULTS), { message: '须为 success / failure / refused' }).optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int('须为整数').min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int('须为整数').min(1).max(500, '最多 500').default(50),
})

const departmentBody = z.object({
  name: z.string({ message: '请输入部门名称' }).trim().min(2, '部门名称至少 2 个字符').max(60, '部门名称最多 60 个字符'),
  shortName: z.string().trim().max(20, '简称最多 20 个字符').default(''),
})

/** Departments are changed by administrators only; the id is checked first, so a missing one is 404 to everyone. */
function requireAdmin(c: Context): void {
  const v = c.get('viewer')
  if (v.kind !== 'user' || v.user.role !== 'admin') throw forbidden('只有系统管理员可以管理部门')
}

/** Administration: users, kiosk links, the audit log (read only), access settings and departments. */
export function adminRoutes(deps: AppDeps, access: AccessControl) {
  const { db } = deps
  const me = (c: Context) => {
    const v = c.get('viewer')
    if (v.kind !== 'user') throw forbidden('只有系统管理员可以使用管理功能')
    return v.user
  }
  const checkFields = async (f: z.infer<typeof userFields>) => {
    if (f.role === 'reporter' && f.departmentId === null) throw badRequest('departmentId', '填报人员必须属于一个部门')
    const ids = [...(f.departmentId !== null ? [f.departmentId] : []), ...f.clearances]
    if (ids.length) {
      const known = new Set((await db.kysely.selectFrom('departments').select('id').where(oneOf(db.engine, 'id', ids)).execute()).map((r) => Number(r.id)))
      const missing = ids.filter((d) => !known.has(d))
      if (missing.length) throw badRequest(f.departmentId !== null && missing.includes(f.departmentId) ? 'departmentId' : 'clearances', `部门 ${missing.join('、')} 不存在`)
    }
  }
  const fieldsOf = (f: z.infer<typeof userFields>): UserFields => ({
    displayName: f.displayName, role: f.role, departmentId: f.departmentId, clearances: [...new Set(f.clearances)].filter((d) => d !== f.departmentId),
  })

  return new Hono()
    .get('/admin/users', allow('admin'), async (c) => c.json({ items: await listUsers(db) }))
    .post('/admin/users', allow('admin', { audit: 'user-create' }), validate('json', newUser), async (c) => {
      const body = c.req.valid('json')
      await checkFields(body)
      // Checked first for the usual case; the unique index decides between two requests at the same time.
      const taken = () => new AppError(409, 'conflict', `用户名「${body.username}」已被使用`)
      if (await usernameTaken(db, body.username)) throw taken()
      const problem = passwordProblem(body.password, body.username)
      if (problem) throw badRequest('password', problem)
      const id = await insertUser(db, body.username, fieldsOf(body), await hashPassword(body.password), deps.now())
        .catch((err: unknown) => { throw uniqueViolation(err) ? taken() : err })
      const user = (await userById(db, id))!
      await access.audit(c, 'user-create', user.username, 'success', `角色 ${user.role}${user.departmentName ? `，${user.departmentName}` : ''}`)
      return c.json(user, 201)
    })
    .put('/admin/users/:id', allow('admin', { audit: 'user-update' }), validate('param', idParam), validate('json', editUser), async (c) => {
      const { id } = c.req.valid('param')
      const body = c.req.valid('json')
      const before = await userById(db, id)
      if (!before) throw notFound('user', id)
      await checkFields(body)
      // The last active administrator cannot demote or disable themselves into a locked-out product.
      if (!(await updateUser(db, id, { ...fieldsOf(body), disabled: body.disabled }, deps.now()))) {
        throw new AppError(409, 'last_admin', '这是唯一的系统管理员，不能停用或改为其他角色')
      }
      const after = (await userById(db, id))!
      const changes = [before.role !== after.role && `角色 ${before.role}→${after.role}`, before.departmentId !== after.departmentId && `部门 ${before.departmentName ?? '无'}→${after.departmentName ?? '无'}`,
        before.disabled !== after.disabled && (after.disabled ? '停用' : '启用'), before.clearances.join(',') !== after.clearances.join(',') && `受限数据授权 ${after.clearances.join(',') || '无'}`]
      await access.audit(c, 'user-update', after.username, 'success', changes.filter(Boolean).join('；'))
      return c.json(after)
    })
    .post('/admin/users/:id/password', allow('admin', { audit: 'user-password' }), validate('param', idParam), validate('json', z.object({ password: z.string({ message: '请输入新密码' }).max(200) })), async (c) => {
      const { id } = c.req.valid('param')
      const user = await userById(db, id)
      if (!user) throw notFound('user', id)
      const problem = passwordProblem(c.req.valid('json').password, user.username)
      if (problem) throw badRequest('password', problem)
      await setPassword(db, id, await hashPassword(c.req.valid('json').password), deps.now(), id === me(c).id ? (c.get('viewer') as { sessionHash: string }).sessionHash : undefined)
      await access.audit(c, 'user-password', user.username, 'success')
      return c.body(null, 204)
    })
    .post('/admin/users/:id/two-factor/reset', allow('admin', { audit: 'two-factor-reset' }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      const user = await userById(db, id)
      if (!user) throw notFound('user', id)
      if (!user.twoFactor) throw new AppError(409, 'two_factor_disabled', `${user.username} 未启用两步验证`)
      // A lost or stolen phone: the key and recovery codes go, and so do the user's sessions. An
      // administrator enrols again at the next sign-in; others may.
      await removeTwoFactor(db, id)
      await endSessionsOf(db, id, id === me(c).id ? (c.get('viewer') as { sessionHash: string }).sessionHash : '')
      await access.audit(c, 'two-factor-reset', user.username, 'success', '已删除其验证器密钥和恢复码，并结束其会话')
      return c.body(null, 204)
    })
    .post('/admin/users/:id/unlock', allow('admin', { audit: 'user-unlock' }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      const user = await userById(db, id)
      if (!user) throw notFound('user', id)
      await unlockUser(db, id)
      await access.audit(c, 'user-unlock', user.username, 'success')
      return c.body(null, 204)
    })
    .get('/admin/kiosk-links', allow('admin'), async (c) => c.json({ items: await listKioskLinks(db) }))
    .post('/admin/kiosk-links', allow('admin', { audit: 'kiosk-create' }), validate('json', z.object({
      label: z.string({ message: '请输入名称' }).trim().min(1, '请输入名称').max(50, '名称最多 50 个字符'),
      ceiling: z.enum(codesOf(KIOSK_CEILINGS), { message: '大屏链接最高只能显示“内部”数据（public / internal）' }),
      query: z.string().trim().max(2000, '筛选条件过长').default(''),
    })), async (c) => {
      const body = c.req.valid('json')
      const query = body.query.replace(/^\?/, '')
      const problem = kioskQueryProblem(query)
      if (problem) throw badRequest('query', `筛选条件无效：${problem}`)
      const token = randomBytes(32).toString('base64url')
      const id = await insertKioskLink(db, { label: body.label, ceiling: body.ceiling, query, tokenHash: kioskTokenHash(token), createdBy: me(c).id }, deps.now())
      await access.audit(c, 'kiosk-create', body.label, 'success', `最高密级 ${body.ceiling}${query ? `，筛选 ${query}` : ''}`)
      // The only time the token is shown: only its hash is stored.
      return c.json({ ...(await kioskById(db, id))!, token, path: `/kiosk/${token}` }, 201)
    })
    .post('/admin/kiosk-links/:id/revoke', allow('admin', { audit: 'kiosk-revoke' }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      const link = await kioskById(db, id)
      if (!link) throw notFound('kiosk link', id)
      await revokeKioskLink(db, id, deps.now())
      await access.audit(c, 'kiosk-revoke', link.label, 'success')
      return c.json(await kioskById(db, id))
    })
    .get('/admin/audit', allow('admin'), validate('query', auditQuery), async (c) => c.json(await listAudit(db, c.req.valid('query'))))
    .get('/admin/settings', allow('admin'), async (c) => c.json({ publicAccess: await access.publicAccess() }))
    .put('/admin/settings', allow('admin', { audit: 'settings' }), validate('json', z.object({ publicAccess: z.boolean({ message: '须为 true 或 false' }) })), async (c) => {
      const { publicAccess } = c.req.valid('json')
      await setSetting(db, 'public_access', publicAccess ? 'on' : 'off')
      await access.audit(c, 'settings', 'public_access', 'success', publicAccess ? '开启公开数据免登录访问' : '关闭公开数据免登录访问')
      return c.json({ publicAccess })
    })
    .post('/departments', allow('admin', { audit: 'create' }), validate('json', departmentBody), async (c) => {
      const body = c.req.valid('json')
      const taken = () => new AppError(409, 'conflict', `已有名为「${body.name}」的部门`)
      if (await departmentNameTaken(db, body.name)) throw taken()
      const id = await insertDepartment(db, body.name, body.shortName || body.name, deps.now())
        .catch((err: unknown) => { throw uniqueViolation(err) ? taken() : err })
      return c.json({ id, name: body.name, shortName: body.shortName || body.name }, 201)
    })
    .put('/departments/:id', allow('write', { audit: 'update' }), validate('param', idParam), validate('json', departmentBody), async (c) => {
      const { id } = c.req.valid('param')
      // A department the viewer does not see is 404, as if missing; one they see is theirs to change only as an administrator.
      await visibleDepartment(deps, scopeOf(c), id)
      requireAdmin(c)
      const body = c.req.valid('json')
      if (await departmentUsage(db, id) === null) throw notFound('department', id)
      await assertLocalDepartment(db, id)
      const taken = () => new AppError(409, 'conflict', `已有名为「${body.name}」的部门`)
      if (await departmentNameTaken(db, body.name, id)) throw taken()
      await renameDepartment(db, id, body.name, body.shortName || body.name).catch((err: unknown) => { throw uniqueViolation(err) ? taken() : err })
      return c.json({ id, name: body.name, shortName: body.shortName || body.name })
    })
    .delete('/departments/:id', allow('write', { audit: 'delete' }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      await visibleDepartment(deps, scopeOf(c), id)
      requireAdmin(c)
      const usage = await departmentUsage(db, id)
      if (usage === null) throw notFound('department', id)
      await assertLocalDepartment(db, id)
      if (usage.systems || usage.users) {
        throw new AppError(409, 'in_use', `该部门还有 ${usage.systems} 个系统、${usage.users} 个用户，不能删除；请先删除系统、调整用户`)
      }
      await deleteDepartment(db, id)
      return c.body(null, 204)
    })
}
