// The first module of every worker thread the server starts. A worker does not inherit the TypeScript
// loader the server runs under, so a TypeScript module is loaded through tsx's own import; then the
// module named in workerData.module runs, reading the rest of workerData itself.
import { workerData } from 'node:worker_threads'

if (workerData.module.endsWith('.ts')) {
  const { tsImport } = await import('tsx/esm/api')
  await tsImport(workerData.module, import.meta.url)
} else {
  await import(workerData.module)
}
