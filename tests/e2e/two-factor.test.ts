import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'vitest'
import type { Page } from 'playwright-core'
import { adminHeaders, freshTotpCode, newContext, serverAndBrowser } from '../helpers/browser.js'

// A first start whose administrator has not signed in yet: the first sign-in must enrol.
const ADMIN_PASSWORD = 'Quartz-Meadow-5183'
const env = serverAndBrowser({ env: { ADMIN_PASSWORD }, enrolAdmin: false })

async function fillSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.waitForSelector('[data-testid="sign-in-form"]')
  await page.fill('[data-testid="username"]', username)
  await page.fill('[data-testid="password"]', password)
  await page.click('[data-testid="sign-in-submit"]')
}

/** The key shown on the enrolment form, without the spaces that group it. */
async function shownSecret(page: Page): Promise<string> {
  return ((await page.textContent('[data-testid="two-factor-secret"]')) ?? '').replace(/\s/g, '')
}

async function signOut(page: Page): Promise<void> {
  await page.click('[data-testid="user-menu"]')
  await page.click('[data-action="sign-out"]')
  await page.waitForSelector('[data-testid="sign-in-form"]')
}

test('the first administrator enrols two-step verification right after signing in, then signs in with password and code', async () => {
  const page = await (await newContext(env.browser)).newPage()
  await page.goto(`${env.server.url}/admin?tab=users`)
  await fillSignIn(page, 'admin', ADMIN_PASSWORD)

  // Nothing else until enrolled: the enrolment page, with the key as a QR code and as text.
  await page.waitForSelector('[data-testid="forced-two-factor"]')
  assert.equal(new URL(page.url()).pathname, '/account-setup')
  assert.equal(await page.locator('.topbar').count(), 0, 'no workspace before enrolling')
  await page.goto(`${env.server.url}/departments`)
  await page.waitForSelector('[data-testid="forced-two-factor"]')
  await page.waitForSelector('[data-testid="two-factor-qr"]')
  assert.ok(await page.$eval('[data-testid="two-factor-qr"]', (img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0), 'the QR code is drawn')
  const secret = await shownSecret(page)
  assert.match(secret, /^[A-Z2-7]{32}$/)
  assert.match((await page.textContent('[data-testid="two-factor-uri"]')) ?? '', /^otpauth:\/\/totp\//)

  await page.fill('[data-testid="two-factor-enrol-code"]', '000000' === (await freshTotpCode(secret)) ? '111111' : '000000')
  await page.click('[data-action="two-factor-enable"]')
  assert.match((await page.textContent('[data-testid="two-factor-enrol-error"]')) ?? '', /验证码不正确/)
  await page.fill('[data-testid="two-factor-enrol-code"]', await freshTotpCode(secret))
  await page.click('[data-action="two-factor-enable"]')
  await page.waitForSelector('[data-testid="recovery-codes"]')
  const codes = (await page.locator('[data-testid="recovery-codes"] li').allTextContents()).map((c) => c.trim())
  assert.equal(codes.length, 10)
  await page.click('[data-action="recovery-codes-saved"]')
  await page.waitForURL((u) => u.pathname === '/departments')
  await page.waitForSelector('[data-testid="user-name"]')

  // From now on: password, then the code.
  await signOut(page)
  await fillSignIn(page, 'admin', ADMIN_PASSWORD)
  await page.waitForSelector('[data-testid="code-form"]')
  await page.fill('[data-testid="code"]', '12345')
  await page.click('[data-testid="code-submit"]')
  assert.match((await page.textContent('[data-testid="sign-in-error"]')) ?? '', /验证码错误/)
  await page.fill('[data-testid="code"]', await freshTotpCode(secret))
  await page.click('[data-testid="code-submit"]')
  await page.waitForSelector('[data-kpi="resources"]')
  assert.equal((await page.textContent('[data-testid="user-name"]'))?.trim(), '系统管理员')
  await page.context().close()
})

test('a user turns on two-step verification in the user menu, signs in with a recovery code, and an administrator resets it', async () => {
  const created = await fetch(`${env.server.url}/api/admin/users`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...adminHeaders(env.server) },
    body: JSON.stringify({ username: 'zhao.lei', displayName: '赵磊', role: 'analyst', password: 'Cobalt-Harbor-2291' }),
  })
  assert.equal(created.status, 201, await created.clone().text())

  const page = await (await newContext(env.browser)).newPage()
  await page.goto(`${env.server.url}/`)
  await fillSignIn(page, 'zhao.lei', 'Cobalt-Harbor-2291')
  await page.waitForSelector('[data-testid="user-name"]')
  await page.click('[data-testid="user-menu"]')
  await page.click('[data-action="two-factor"]')
  await page.waitForSelector('[data-testid="two-factor-dialog"] [data-testid="two-factor-status"]')
  assert.match((await page.textContent('[data-testid="two-factor-status"]')) ?? '', /未启用/)
  await page.click('[data-action="two-factor-start"]')
  await page.waitForSelector('[data-testid="two-factor-qr"]')
  const secret = await shownSecret(page)
  await page.fill('[data-testid="two-factor-enrol-code"]', await freshTotpCode(secret))
  await page.click('[data-action="two-factor-enable"]')
  await page.waitForSelector('[data-testid="recovery-codes"]')
  const codes = (await page.locator('[data-testid="recovery-codes"] li').allTextContents()).map((c) => c.trim())
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="download-recovery-codes"]')])
  const saved = readFileSync((await download.path())!, 'utf8')
  assert.ok(codes.every((c) => saved.includes(c)), 'the downloaded file has every recovery code')
  await page.click('[data-action="recovery-codes-saved"]')
  await page.locator('[data-testid="two-factor-status"]', { hasText: '已启用' }).waitFor()
  assert.match((await page.textContent('[data-testid="two-factor-status"]')) ?? '', /剩余恢复码 10 个/)
  await page.click('[data-testid="two-factor-dialog"] .dialog__actions .btn:last-child')

  // The phone is not at hand: a recovery code instead of the authenticator's code.
  await signOut(page)
  await fillSignIn(page, 'zhao.lei', 'Cobalt-Harbor-2291')
  await page.waitForSelector('[data-testid="code-form"]')
  await page.fill('[data-testid="code"]', codes[0]!)
  await page.click('[data-testid="code-submit"]')
  await page.waitForSelector('[data-testid="user-name"]')
  await page.context().close()

  // The administrator's user list shows it and resets it (a lost phone).
  const admin = await (await newContext(env.browser, undefined, env.server)).newPage()
  await admin.goto(`${env.server.url}/admin?tab=users`)
  await admin.waitForSelector('[data-user="zhao.lei"]')
  assert.equal((await admin.textContent('[data-user="zhao.lei"] [data-testid="user-two-factor"]'))?.trim(), '已启用')
  await admin.click('[data-user="zhao.lei"] [data-action="reset-two-factor"]')
  await admin.click('[data-testid="confirm-ok"]')
  await admin.locator('[data-user="zhao.lei"] [data-testid="user-two-factor"]', { hasText: '未启用' }).waitFor()
  assert.match((await admin.textContent('.admin-msg')) ?? '', /已重置 zhao\.lei 的两步验证/)
  await admin.context().close()
})
