import { createHash, randomBytes } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { allow } from './allow.js'
import { z } from 'zod'
import type { AppDeps } from '../db/deps.js'
import {
  IDLE_TIMEOUT_MS, LOCKOUT_MS, MAX_CODE_ATTEMPTS, MAX_FAILED_SIGN_INS, MAX_LIVE_TOKENS, TOKEN_LIFETIMES_DAYS, type SecondFactorStep, type SessionInfo,
  type SessionUser,
} from '../domain/access.js'
import { AppError, badRequest, unauthenticated } from '../http/errors.js'
import { idParam, validate } from '../http/validate.js'
import { hashAccessToken, TOKEN_PREFIX, type AccessControl } from './access-control.js'
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js'
import {
  countLiveTokens, credentialsById, credentialsOf, insertToken, liveKioskByHash, usernameKey, markKioskUsed, passwordHashOf, purgeSessions,
  recordFailedSignIn, recordSignIn, revokeToken, setPassword, tokensOfUser, type Credentials,
} from './queries.js'
import { SignInThrottled } from './rate-limit.js'
import { acceptedStep, codeKind, recoveryCodeHash } from './two-factor.js'
import { countChallengeAttempt, markStepUsed, recoveryCodesLeft, twoFactorOf, useRecoveryCode } from './two-factor-queries.js'

/** One answer for an unknown account, a wrong password, a locked and a disabled account: none reveals which. */
const SIGN_IN_FAILED = '用户名或密码错误；连续输错 5 次后账户将锁定 15 分钟'
const CODE_FAILED = '验证码错误；连续输错 5 次后账户将锁定 15 分钟'
const SECOND_FACTOR_EXPIRED = '验证已失效或超时，请重新输入用户名和密码'

function tooManyAttempts(c: Context): AppError {
  c.header('Retry-After', '60')
  return new AppError(429, 'rate_limited', '登录尝试过于频繁，请 1 分钟后再试', { retryAfter: 60 })
}

const codeBody = z.object({
  code: z.string({ message: '请输入验证码' }).trim().min(1, '请输入验证码').max(40, '验证码最多 40 个字符'),
})

const signInBody = z.object({
  username: z.string({ message: '请输入用户名' }).trim().min(1, '请输入用户名').max(64, '用户名最多 64 个字符'),
  password: z.string({ message: '请输入密码' }).min(1, '请输入密码').max(200, '密码最多 200 个字符'),
})

const newTokenBody = z.object({
  label: z.string({ message: '请填写令牌用途' }).trim().min(1, '请填写令牌用途，例如“QGIS 办公电脑”').max(50, '用途最多 50 个字符'),
  days: z.union(TOKEN_LIFETIMES_DAYS.map((d) => z.literal(d)), { message: `有效期须为 ${TOKEN_LIFETIMES_DAYS.join('、')} 天之一` }),
})

/** Kiosk tokens are long random strings: only their SHA-256 is stored, like API keys. */
export function kioskTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Sign-in, sign-out, the session, password change and opening a kiosk link. */
export function authRoutes(deps: AppDeps, access: AccessControl) {
  const { db } = deps
  const who = (u: SessionUser) => ({ userId: u.id, username: u.username, role: u.role })

  /** Waits for this name's turn (see SignInThrottle); too many waiting: 429, audited. */
  const enterSignIn = async (c: Context, nameKey: string, address: string, username: string) => {
    try {
      return await access.signIns.enter(nameKey, address)
    } catch (err) {
      if (!(err instanceof SignInThrottled)) throw err
      await access.audit(c, 'sign-in', username, 'refused', '登录尝试过于频繁', { userId: null, username, role: '' })
      throw tooManyAttempts(c)
    }
  }

  /** Holds back a failure's answer by the address's delay; with too many held back, answers 429 at once. */
  const answerFailure = async (c: Context, address: string, username: string, failures: number) => {
    try {
      await access.signIns.delayFailure(address, failures)
    } catch (err) {
      if (!(err instanceof SignInThrottled)) throw err
      await access.audit(c, 'sign-in', username, 'refused', '登录尝试过于频繁', { userId: null, username, role: '' })
      throw tooManyAttempts(c)
    }
  }

  /** Counts a failed password or code of an account; true when it locks the account. */
  const countFailure = async (userId: number): Promise<boolean> => {
    return await recordFailedSignIn(db, userId, MAX_FAILED_SIGN_INS, new Date(deps.now().getTime() + LOCKOUT_MS).toISOString())
  }

  /** Both factors are right (or the only one): the session starts. */
  const completeSignIn = async (c: Context, creds: Credentials, detail: string): Promise<SessionInfo> => {
    const now = deps.now()
    await purgeSessions(db, now, IDLE_TIMEOUT_MS)
    await recordSignIn(db, creds.user.id, now)
    const csrfToken = await access.startSession(c, { kind: 'user', userId: creds.user.id })
    const required = access.requirement(creds)
    await access.audit(c, 'sign-in', creds.user.username, 'success', [detail, required === 'change-password' ? '密码已过期，须先修改' : required ? '须先启用两步验证' : ''].filter(Boolean).join('；'), who(creds.user))
    return await access.sessionInfo({ kind: 'user', user: creds.user, csrfToken, sessionHash: '', required })
  }

  return new Hono()
    .get('/auth/session', allow('open'), async (c) => c.json(await access.sessionInfo(c.get('viewer'))))
    .post('/auth/sign-in', allow('sign-in', { audit: 'sign-in' }), validate('json', signInBody), async (c) => {
      const { username, password } = c.req.valid('json')
      const address = access.address(c)
      const nameKey = usernameKey(username)
      const release = await enterSignIn(c, nameKey, address, username)
      let failures = 0
      try {
        const now = deps.now()
        const creds = await credentialsOf(db, username)
        // The same scrypt work happens whether or not the account exists, so timing tells nothing either.
        const ok = await verifyPassword(password, creds?.passwordHash ?? (await dummyPasswordHash()))
        const locked = creds?.lockedUntil != null && Date.parse(creds.lockedUntil) > now.getTime()
        if (!creds || !ok || locked || creds.disabled) {
          let why = !creds ? '账户不存在' : creds.disabled ? '账户已停用' : locked ? '账户锁定中' : '密码错误'
          if (creds && !ok && !locked && !creds.disabled && (await countFailure(creds.user.id))) why += `，连续 ${MAX_FAILED_SIGN_INS} 次失败，锁定 15 分钟`
          failures = access.signIns.recordFailure(nameKey, address)
          await access.audit(c, 'sign-in', username, 'failure', why, creds ? who(creds.user) : { userId: null, username, role: '' })
        } else if (creds.twoFactor) {
          // The password is right; the code comes next. No session yet, and the failure count stays
          // until the code is right too, so knowing the password does not reset the lockout.
          const expiresInSeconds = await access.startSecondFactor(c, creds.user.id)
          await access.audit(c, 'sign-in', creds.user.username, 'success', '密码正确，等待两步验证码', who(creds.user))
          const step: SecondFactorStep = { secondFactor: 'totp', expiresInSeconds }
          return c.json(step, 202)
        } else {
          access.signIns.recordSuccess(nameKey)
          return c.json(await completeSignIn(c, creds, ''))
        }
      } finally {
        release()
      }
      await answerFailure(c, address, username, failures)
      throw new AppError(401, 'sign_in_failed', SIGN_IN_FAILED)
    })
    .post('/auth/sign-in/code', allow('sign-in', { audit: 'two-factor-code' }), validate('json', codeBody), async (c) => {
      const { code } = c.req.valid('json')
      const address = access.address(c)
      const pending = await access.pendingSignIn(c)
      const pendingUser = pending ? await credentialsById(db, pending.userId) : null
      if (!pending || !pendingUser) {
        await access.endSecondFactor(c)
        await access.audit(c, 'two-factor-code', '', 'failure', '没有待验证的登录或已超时')
        throw new AppError(401, 'sign_in_expired', SECOND_FACTOR_EXPIRED)
      }
      const nameKey = usernameKey(pendingUser.user.username)
      const release = await enterSignIn(c, nameKey, address, pendingUser.user.username)
      let failed = false
      let ended = false
      let failures = 0
      try {
        const now = deps.now()
        // Read again after waiting: another attempt may have used up the step or locked the account.
        const live = await access.pendingSignIn(c)
        const creds = await credentialsById(db, pendingUser.user.id)
        const locked = creds?.lockedUntil != null && Date.parse(creds.lockedUntil) > now.getTime()
        const factor = creds ? await twoFactorOf(db, creds.user.id) : null
        if (!live || !creds || creds.disabled || locked || !factor?.enabledAt) {
          await access.endSecondFactor(c)
          await access.audit(c, 'two-factor-code', pendingUser.user.username, 'failure', locked ? '账户锁定中' : '登录已失效', who(pendingUser.user))
          ended = true
        } else {
          const kind = codeKind(code)
          const step = kind === 'totp' ? acceptedStep(factor.secret, code.replace(/\s/g, ''), now, factor.lastStep) : null
          // A code is used up by one statement: sent through two processes at once, it signs in once.
          const accepted = step !== null && await markStepUsed(db, creds.user.id, step)
          const recovered = kind === 'recovery' && await useRecoveryCode(db, creds.user.id, recoveryCodeHash(code), now)
          if (accepted || recovered) {
            await access.endSecondFactor(c)
            access.signIns.recordSuccess(nameKey)
            const detail = recovered ? `使用恢复码登录，剩余 ${await recoveryCodesLeft(db, creds.user.id)} 个` : '两步验证通过'
            return c.json(await completeSignIn(c, creds, detail))
          }
          // A wrong code counts like a wrong password: toward the lockout and the delays.
          const lockedNow = await countFailure(creds.user.id)
          const attempts = await countChallengeAttempt(db, live.tokenHash)
          failures = access.signIns.recordFailure(nameKey, address)
          await access.audit(c, 'two-factor-code', creds.user.username, 'failure',
            `${kind === 'totp' ? '验证码' : '恢复码'}错误${lockedNow ? `，连续 ${MAX_FAILED_SIGN_INS} 次失败，锁定 15 分钟` : ''}`, who(creds.user))
          if (lockedNow || attempts >= MAX_CODE_ATTEMPTS) {
            await access.endSecondFactor(c)
            ended = true
          }
          failed = true
        }
      } finally {
        release()
      }
      if (failed) await answerFailure(c, address, pendingUser.user.username, failures)
      if (ended) throw new AppError(401, 'sign_in_expired', SECOND_FACTOR_EXPIRED)
      throw new AppError(401, 'code_invalid', CODE_FAILED)
    })
    .post('/auth/sign-out', allow('session', { audit: null }), async (c) => {
      const viewer = c.get('viewer')
      if (viewer.kind !== 'anonymous') await access.audit(c, 'sign-out', viewer.kind === 'user' ? viewer.user.username : viewer.kiosk.label, 'success')
      await access.endSession(c)
      return c.body(null, 204)
    })
    .post('/auth/password', allow('account', { during: 'change-password', audit: 'password-change' }), validate('json', z.object({
      currentPassword: z.string({ message: '请输入当前密码' }).min(1, '请输入当前密码').max(200),
      newPassword: z.string({ message: '请输入新密码' }).max(200, '密码最多 200 个字符'),
    })), async (c) => {
      const viewer = c.get('viewer')
      if (viewer.kind !== 'user') throw unauthenticated()
      const { currentPassword, newPassword } = c.req.valid('json')
      const stored = await passwordHashOf(db, viewer.user.id)
      if (!stored || !(await verifyPassword(currentPassword, stored))) {
        await access.audit(c, 'password-change', viewer.user.username, 'failure', '当前密码错误')
        throw new AppError(401, 'wrong_password', '当前密码不正确')
      }
      const problem = passwordProblem(newPassword, viewer.user.username)
      if (problem) throw badRequest('newPassword', problem)
      // A password past its lifetime is replaced, not renewed.
      if (newPassword === currentPassword) throw badRequest('newPassword', '新密码不能与当前密码相同')
      await setPassword(db, viewer.user.id, await hashPassword(newPassword), deps.now(), viewer.sessionHash)
      await access.audit(c, 'password-change', viewer.user.username, 'success')
      return c.body(null, 204)
    })
    // Personal access tokens: for the signed-in user's own desktop GIS clients and scripts (read-only).
    .get('/auth/tokens', allow('account'), async (c) => {
      const viewer = c.get('viewer')
      if (viewer.kind !== 'user') throw unauthenticated()
      return c.json({ items: await tokensOfUser(db, viewer.user.id) })
    })
    .post('/auth/tokens', allow('account', { audit: 'token-create' }), validate('json', newTokenBody), async (c) => {
      const viewer = c.get('viewer')
      if (viewer.kind !== 'user') throw unauthenticated()
      const { label, days } = c.req.valid('json')
      const now = deps.now()
      if (await countLiveTokens(db, viewer.user.id, now) >= MAX_LIVE_TOKENS) {
        throw new AppError(409, 'too_many_tokens', `最多可同时持有 ${MAX_LIVE_TOKENS} 个有效令牌，请先撤销不用的令牌`)
      }
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
      const info = await insertToken(db, {
        userId: viewer.user.id, label, prefix: token.slice(0, TOKEN_PREFIX.length + 6), tokenHash: hashAccessToken(token),
        expiresAt: new Date(now.getTime() + days * 86_400_000).toISOString(),
      }, now)
      await access.audit(c, 'token-create', label, 'success', `${info.prefix}…，有效期 ${days} 天`)
      // The only time the token is ever shown: only its hash is stored.
      return c.json({ ...info, token }, 201)
    })
    .post('/auth/tokens/:id/revoke', allow('account', { audit: 'token-revoke' }), validate('param', idParam), async (c) => {
      const viewer = c.get('viewer')
      if (viewer.kind !== 'user') throw unauthenticated()
      const info = await revokeToken(db, viewer.user.id, c.req.valid('param').id, deps.now())
      if (!info) throw new AppError(404, 'not_found', '没有这个访问令牌')
      await access.audit(c, 'token-revoke', info.label, 'success', `${info.prefix}…`)
      return c.json(info)
    })
    .post('/kiosk/open', allow('sign-in', { audit: 'kiosk-open' }), validate('json', z.object({ token: z.string({ message: 'token is required' }).min(1).max(200) })), async (c) => {
      const { token } = c.req.valid('json')
      const kiosk = await liveKioskByHash(db, kioskTokenHash(token))
      if (!kiosk) {
        await access.audit(c, 'kiosk-open', '', 'failure', '链接无效或已撤销')
        throw new AppError(401, 'kiosk_invalid', '大屏链接无效或已被撤销，请联系管理员')
      }
      const csrfToken = await access.startSession(c, { kind: 'kiosk', kioskId: kiosk.id })
      await markKioskUsed(db, kiosk.id, deps.now())
      await access.audit(c, 'kiosk-open', kiosk.label, 'success', '', { userId: null, username: `大屏:${kiosk.label}`, role: 'kiosk' })
      return c.json({ ...(await access.sessionInfo({ kind: 'kiosk', kiosk, csrfToken, sessionHash: '' })), kiosk })
    })
}
