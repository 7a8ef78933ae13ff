import type { Context } from 'hono'

/**
 * This site's origin as clients see it, for absolute links: behind a trusted reverse proxy
 * (TRUST_PROXY=on), from X-Forwarded-Proto and -Host; otherwise the request's own.
 */
export function siteOrigin(c: Context, trustProxy: boolean): string {
  const own = new URL(c.req.url)
  if (!trustProxy) return own.origin
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() || own.protocol.replace(':', '')
  const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim() || c.req.header('host') || own.host
  return `${proto}://${host}`
}
