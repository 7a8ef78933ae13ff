import { Hono, type Context } from 'hono'
import { allow } from './allow.js'
import { z } from 'zod'
import type { AppDeps } from '../db/deps.js'
import type { SessionUser, TwoFactorSetup } from '../domain/access.js'
import { AppError, badRequest, unauthenticated } from '../http/errors.js'
import { validate } from '../http/validate.js'
import { type AccessControl } from './access-control.js'
import { verifyPassword } from './passwords.js'
import { passwordHashOf } from './queries.js'
import { acceptedStep, codeKind, newRecoveryCodes, newTotpSecret, qrCodeDataUrl, recoveryCodeHash, totpUri } from './two-factor.js'
import {
  enableTwoFactor, markStepUsed, removeTwoFactor, replaceRecoveryCodes, startEnrolment, twoFactorOf, twoFactorStatus, useRecoveryCode,
} from './two-factor-queries.js'

const code = z.string({ message: '请输入验证码' }).trim().min(1, '请输入验证码').max(40, '验证码最多 40 个字符')

/**
 * The signed-in user's own second factor: enrol (a new key shown as a QR code and as text, turned on by
 * a current code, with ten recovery codes shown once), new recovery codes, and turning it off with
 * password and code (not for administrators, who must keep it; another administrator resets it).
 */
export function twoFactorRoutes(deps: AppDeps, access: AccessControl) {
  const { db } = deps
  /** The signed-in user of a browser session (personal access tokens cannot manage the second factor). */
  const me = (c: Context): SessionUser => {
    const v = c.get('viewer')
    if (v.kind !== 'user' || v.tokenId !== undefined) throw unauthenticated()
    return v.user
  }
  /** Whether a code (six digits, or an unused recovery code when allowed) is right now; uses it up when it is. */
  const checkCode = async (userId: number, given: string, allowRecovery: boolean): Promise<boolean> => {
    const factor = await twoFactorOf(db, userId)
    if (!factor?.enabledAt) return false
    const now = deps.now()
    if (codeKind(given) === 'totp') {
      const step = acceptedStep(factor.secret, given.replace(/\s/g, ''), now, factor.lastStep)
      // Taken by this request only (a second request with the same code at once is refused).
      return step !== null && await markStepUsed(db, userId, step)
    }
    return allowRecovery && await useRecoveryCode(db, userId, recoveryCodeHash(given), now)
  }

  return new Hono()
    .get('/auth/two-factor', allow('account', { during: 'enrol-two-factor' }), async (c) => {
      const user = me(c)
      return c.json(await twoFactorStatus(db, user.id, user.role === 'admin'))
    })
    .post('/auth/two-factor/setup', allow('account', { during: 'enrol-two-factor', audit: null }), async (c) => {
      const user = me(c)
      if ((await twoFactorOf(db, user.id))?.enabledAt) throw new AppError(409, 'two_factor_enabled', '两步验证已启用；如需更换设备，请先停用再重新启用')
      const secret = newTotpSecret()
      await startEnrolment(db, user.id, secret, deps.now())
      const uri = totpUri(secret, user.username)
      // Nothing is protected differently until a code confirms the key: the audit entry comes with that.
      c.set('audited', true)
      const setup: TwoFactorSetup = { uri, secret, qrCode: await qrCodeDataUrl(uri) }
      return c.json(setup)
    })
    .post('/auth/two-factor/enable', allow('account', { during: 'enrol-two-factor', audit: 'two-factor-enable' }), validate('json', z.object({ code })), async (c) => {
      const user = me(c)
      const factor = await twoFactorOf(db, user.id)
      if (factor?.enabledAt) throw new AppError(409, 'two_factor_enabled', '两步验证已启用')
      if (!factor) throw new AppError(409, 'no_enrolment', '请先生成密钥并添加到验证器应用')
      const now = deps.now()
      const step = acceptedStep(factor.secret, c.req.valid('json').code.replace(/\s/g, ''), now, 0)
      if (step === null) {
        await access.audit(c, 'two-factor-enable', user.username, 'failure', '验证码错误')
        throw badRequest('code', '验证码不正确：请输入验证器应用当前显示的 6 位数字，并确认手机时间准确')
      }
      const recoveryCodes = newRecoveryCodes()
      // Only the request that turns this key on shows recovery codes: one sent at the same time, or for a key replaced since, changes nothing.
      if (!(await enableTwoFactor(db, user.id, factor.secret, step, recoveryCodes.map(recoveryCodeHash), now))) {
        if ((await twoFactorOf(db, user.id))?.enabledAt) throw new AppError(409, 'two_factor_enabled', '两步验证已启用')
        throw new AppError(409, 'no_enrolment', '请先生成密钥并添加到验证器应用')
      }
      await access.audit(c, 'two-factor-enable', user.username, 'success', `生成 ${recoveryCodes.length} 个恢复码`)
      // The only time the recovery codes are shown: only their hashes are stored.
      return c.json({ recoveryCodes })
    })
    .post('/auth/two-factor/recovery-codes', allow('account', { audit: 'recovery-codes' }), validate('json', z.object({ code })), async (c) => {
      const user = me(c)
      if (!(await checkCode(user.id, c.req.valid('json').code, false))) {
        await access.audit(c, 'recovery-codes', user.username, 'failure', '验证码错误')
        throw badRequest('code', '验证码不正确：请输入验证器应用当前显示的 6 位数字')
      }
      const recoveryCodes = newRecoveryCodes()
      await replaceRecoveryCodes(db, user.id, recoveryCodes.map(recoveryCodeHash))
      await access.audit(c, 'recovery-codes', user.username, 'success', '旧的恢复码全部作废')
      return c.json({ recoveryCodes })
    })
    .post('/auth/two-factor/disable', allow('account', { audit: 'two-factor-disable' }), validate('json', z.object({
      password: z.string({ message: '请输入当前密码' }).min(1, '请输入当前密码').max(200),
      code,
    })), async (c) => {
      const user = me(c)
      if (user.role === 'admin') throw new AppError(409, 'two_factor_required', '系统管理员必须启用两步验证，不能停用；更换手机时请另一位管理员重置')
      const { password, code: given } = c.req.valid('json')
      const stored = await passwordHashOf(db, user.id)
      if (!stored || !(await verifyPassword(password, stored))) {
        await access.audit(c, 'two-factor-disable', user.username, 'failure', '当前密码错误')
        throw new AppError(401, 'wrong_password', '当前密码不正确')
      }
      if (!(await twoFactorOf(db, user.id))?.enabledAt) throw new AppError(409, 'two_factor_disabled', '两步验证未启用')
      if (!(await checkCode(user.id, given, true))) {
        await access.audit(c, 'two-factor-disable', user.username, 'failure', '验证码错误')
        throw badRequest('code', '验证码不正确：请输入验证器应用当前显示的 6 位数字或一个恢复码')
      }
      await removeTwoFactor(db, user.id)
      await access.audit(c, 'two-factor-disable', user.username, 'success')
      return c.body(null, 204)
    })
}
