/**
 * HTTP to a harvest source, bounded: each request has a deadline and a size limit (the body is read in
 * chunks and the request is abandoned past the limit, so a source cannot make the city hold more than
 * that), and every failure becomes a sentence an administrator can act on.
 */

export class SourceError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SourceError'
  }
}

export interface SourceClientOptions {
  /** Authorization: Bearer token, or '' for none. */
  token: string
  timeoutMs?: number
  maxBytes?: number
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: '连接被拒绝（服务未运行或端口错误）',
  ENOTFOUND: '找不到该主机名',
  EAI_AGAIN: '域名解析失败',
  ECONNRESET: '连接被对方重置',
  ETIMEDOUT: '连接超时',
  EHOSTUNREACH: '主机不可达',
  UND_ERR_SOCKET: '连接中断',
  UND_ERR_HEADERS_TIMEOUT: '等待响应超时',
}

export class SourceClient {
  /** Bytes received and requests made, for the job's report. */
  bytes = 0
  requests = 0
  private readonly base: URL

  constructor(url: string, private readonly options: SourceClientOptions) {
    this.base = new URL(url)
  }

  /** GETs `path` (relative to the source's URL, or absolute) and parses its JSON. */
  async json<T>(path: string): Promise<T> {
    const url = new URL(path, this.base)
    const timeoutMs = this.options.timeoutMs ?? 60_000
    const maxBytes = this.options.maxBytes ?? 64 * 1024 * 1024
    const headers: Record<string, string> = { accept: 'application/json, application/ld+json' }
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`
    let res: Response | null = null
    // A GET is tried twice when the connection breaks at once: a kept-alive connection the source has
    // since closed (a restart) fails the first try without the source being down.
    for (let attempt = 1; !res; attempt++) {
      this.requests++
      try {
        res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' })
      } catch (err) {
        const code = (err as { cause?: { code?: string } })?.cause?.code
        if (attempt === 1 && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET')) continue
        throw new SourceError(`无法连接 ${url.origin}：${describe(err, timeoutMs)}`)
      }
    }
    const text = await readBounded(res, maxBytes, url, timeoutMs)
    this.bytes += text.length
    if (!res.ok) {
      let message = ''
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? ''
      } catch {
        message = text.slice(0, 200)
      }
      throw new SourceError(`${url.pathname} 返回 HTTP ${res.status}${message ? `：${message}` : ''}`)
    }
    try {
      return JSON.parse(text) as T
    } catch {
      throw new SourceError(`${url.pathname} 返回的不是 JSON`)
    }
  }
}

async function readBounded(res: Response, maxBytes: number, url: URL, timeoutMs: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN)
  if (declared > maxBytes) {
    await res.body?.cancel()
    throw new SourceError(`${url.pathname} 的响应有 ${declared} 字节，超过上限 ${maxBytes}`)
  }
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        await reader.cancel()
        throw new SourceError(`${url.pathname} 的响应超过上限 ${maxBytes} 字节，已中止`)
      }
      chunks.push(value)
    }
  } catch (err) {
    if (err instanceof SourceError) throw err
    throw new SourceError(`读取 ${url.origin}${url.pathname} 的响应时中断：${describe(err, timeoutMs)}`)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `${timeoutMs / 1000} 秒内没有响应`
  const code = e?.cause?.code
  if (code && NETWORK_ERRORS[code]) return `${NETWORK_ERRORS[code]} (${code})`
  return e?.cause?.message ?? e?.message ?? String(err)
}
