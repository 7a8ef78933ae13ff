import type { TestSession, testApp } from './app.js'
import { bodyOf, call } from './auth.js'

type App = Awaited<ReturnType<typeof testApp>>

/** Creates a kiosk link as the administrator and opens it as a wall screen would: the wall's session. */
export async function openKiosk(t: App, ceiling: 'public' | 'internal', query = ''): Promise<TestSession> {
  const created = await call(t, t.admin, 'POST', '/api/admin/kiosk-links', { label: `大屏 ${ceiling} ${query}`, ceiling, query })
  if (created.status !== 201) throw new Error(`creating a kiosk link: ${created.status} ${JSON.stringify(created.body)}`)
  const open = await t.raw.request('/api/kiosk/open', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: created.body.token }) })
  if (open.status !== 200) throw new Error(`opening a kiosk link: ${open.status} ${await open.text()}`)
  const cookie = open.headers.getSetCookie().find((c) => c.startsWith('csa_session='))!.split(';')[0]!
  return { userId: 0, cookie, csrf: (await bodyOf(open)).csrfToken }
}
