import type { MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { ReadReplica } from '../db/replica.js'
import { siteOrigin } from './origin.js'

/** The cookie that carries where the user's last write ended in the primary's WAL. */
export const WROTE_COOKIE = 'csa_wrote'
/** Long enough for any replica that is not broken to have replayed the write. */
const WROTE_MAX_AGE_S = 300

/**
 * Read-your-writes over a read replica: a request from someone whose last write the replica has not
 * replayed reads from the primary; after a write, its WAL position is handed to the user as a cookie
 * (any server process can then tell). It holds no secret: at worst a forged one sends reads to the primary.
 */
export function readYourWrites(replica: ReadReplica, o: { secureCookies?: boolean | 'auto'; trustProxy?: boolean }): MiddlewareHandler {
  return async (c, next) => {
    const wrote = getCookie(c, WROTE_COOKIE)
    const primary = wrote !== undefined && !(await replica.caughtUp(wrote))
    await replica.run(primary, next)
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.res.status < 400) {
      const secure = o.secureCookies === undefined || o.secureCookies === 'auto' ? siteOrigin(c, o.trustProxy === true).startsWith('https:') : o.secureCookies
      setCookie(c, WROTE_COOKIE, await replica.primaryLsn(), { httpOnly: true, sameSite: 'Strict', path: '/api', maxAge: WROTE_MAX_AGE_S, secure })
    }
  }
}
