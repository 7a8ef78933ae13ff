import { spawn, type ChildProcess } from 'node:child_process'
import { REPO_ROOT } from '../../server/config.js'
import { get } from './http.js'

/**
 * Our server as a child process on 127.0.0.1 (a free port), on the given database, waited for until
 * /api/meta answers (and `readyWhen` matches its log, if given). `children` collects it, so the
 * benchmark can kill whatever is left when it exits.
 */
export async function startBenchServer(env: Record<string, string>, children: ChildProcess[], readyWhen?: RegExp): Promise<{ url: string; child: ChildProcess; log: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DEMO: 'off', SIMULATE: 'off', ...env },
  })
  children.push(child)
  let log = ''
  child.stdout!.on('data', (d: Buffer) => (log += d))
  child.stderr!.on('data', (d: Buffer) => (log += d))
  let url = ''
  for (const deadline = Date.now() + 300_000; ;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${log}`)
    if (Date.now() > deadline) throw new Error(`server not ready:\n${log}`)
    url ||= /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1] ?? ''
    if (url && (!readyWhen || readyWhen.test(log))) {
      try {
        if ((await get(`${url}/api/meta`)).status === 200) return { url, child, log: () => log }
      } catch {
        // Not answering yet.
      }
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}
