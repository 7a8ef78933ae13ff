/**
 * The timing loop of the in-process measurement scripts: a few warm-up requests, then `runs` timed
 * ones through app.request, printing the median, p95 and mean response size.
 */
interface RequestApp { request(path: string): Response | Promise<Response> }

/** Returns timeIt(label, path): times `runs` requests of the paths `path()` yields and prints one line. */
export function requestTimer(app: RequestApp, runs: number, warmups = 3) {
  return async function timeIt(label: string, path: () => string): Promise<void> {
    for (let i = 0; i < warmups; i++) await (await app.request(path())).arrayBuffer()
    const ms: number[] = []
    let bytes = 0
    for (let i = 0; i < runs; i++) {
      const p = path()
      const s = performance.now()
      const res = await app.request(p)
      const body = await res.arrayBuffer()
      ms.push(performance.now() - s)
      bytes += body.byteLength
      if (res.status !== 200) throw new Error(`${p} → ${res.status}: ${new TextDecoder().decode(body).slice(0, 300)}`)
    }
    ms.sort((a, b) => a - b)
    const q = (f: number) => ms[Math.min(ms.length - 1, Math.floor(f * ms.length))]!.toFixed(1)
    console.log(`${label.padEnd(48)} median ${q(0.5).padStart(7)} ms   p95 ${q(0.95).padStart(7)} ms   ${(bytes / runs / 1024).toFixed(0)} KiB/response`)
  }
}
