import type { TestSession, testApp } from './app.js'

type App = Awaited<ReturnType<typeof testApp>>

/** The parsed JSON body of a response, or null when it is empty. */
export async function bodyOf(res: Response): Promise<any> {
  const text = await res.text()
  return text ? JSON.parse(text) : null
}

/** A request through a session (cookie + CSRF header), or as nobody: status and parsed JSON. */
export async function call(t: App, session: TestSession | null, method: string, path: string, body?: unknown) {
  const res = await t.as(session).request(path, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) })
  return { status: res.status, body: await bodyOf(res), headers: res.headers }
}

/**
 * Signs in with a password as a browser would; the session it gets, when it gets one, or (202, an
 * account with a second factor) the pending sign-in cookie to send the code with (signInCode).
 */
export async function signIn(raw: App['raw'], username: string, password: string, url = '/api/auth/sign-in') {
  const res = await raw.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  return signInAnswer(res)
}

/** The second step of a two-factor sign-in: the code (or a recovery code) with the pending sign-in cookie. */
export async function signInCode(raw: App['raw'], pending: string | null, code: string) {
  const res = await raw.request('/api/auth/sign-in/code', {
    method: 'POST', headers: { 'content-type': 'application/json', ...(pending ? { cookie: pending } : {}) }, body: JSON.stringify({ code }),
  })
  return signInAnswer(res)
}

async function signInAnswer(res: Response) {
  const body = await bodyOf(res)
  const setCookie = res.headers.getSetCookie()
  const cookie = setCookie.find((c) => c.startsWith('csa_session='))?.split(';')[0]
  const session: TestSession | null = res.status === 200 && cookie ? { userId: body.user.id, cookie, csrf: body.csrfToken } : null
  const pendingCookie = setCookie.find((c) => c.startsWith('csa_sign_in=') && !/Max-Age=0/i.test(c))
  const pending = res.status === 202 && pendingCookie ? pendingCookie.split(';')[0]! : null
  return { status: res.status, body, headers: res.headers, setCookie, session, pending }
}
