import { Agent, request } from 'node:http'
import { gunzipSync } from 'node:zlib'

/** One keep-alive agent per process: the benchmark measures the server, not TCP handshakes. */
export const agent = new Agent({ keepAlive: true, maxSockets: 64 })

export interface Fetched { status: number; ms: number; body: Buffer; headers: Record<string, string | string[] | undefined> }

/** Headers sent with every request of this process (the session cookie, once signed in). */
export const defaultHeaders: Record<string, string> = {}

/**
 * GET over loopback with gzip accepted; the body is returned decompressed, the time covers the full
 * response. A GET is sent again once when its kept-alive connection was closed by the server just as
 * it went out (the server ends connections idle for 5 s: after a long answer, one may race the request).
 */
export async function get(url: string, headers: Record<string, string> = {}): Promise<Fetched> {
  try {
    return await getOnce(url, headers)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') throw err
    return getOnce(url, headers)
  }
}

function getOnce(url: string, headers: Record<string, string>): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const req = request(url, { agent, headers: { 'accept-encoding': 'gzip', ...defaultHeaders, ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const ms = performance.now() - t0
        let body = Buffer.concat(chunks)
        if (res.headers['content-encoding'] === 'gzip' && body.length) body = gunzipSync(body)
        resolve({ status: res.statusCode ?? 0, ms, body, headers: res.headers })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** p50/p95/p99 of a list of milliseconds. */
export function percentiles(ms: number[]): { p50: number; p95: number; p99: number; max: number; n: number } {
  const s = [...ms].sort((a, b) => a - b)
  const q = (f: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(f * s.length) - 1)]! : NaN)
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s.length ? s[s.length - 1]! : NaN, n: s.length }
}
