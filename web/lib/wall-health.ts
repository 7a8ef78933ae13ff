import { formatClock } from './format.js'

/**
 * How the wall heals itself after the server or the network dropped: it keeps the last data it had
 * and says how old it is, tries again after a growing pause, and reads everything again as soon as
 * the server answers.
 */

const FIRST_RETRY_MS = 2_000
const MAX_RETRY_MS = 60_000

/** The pause before the next attempt after `failures` failed ones in a row: 2 s, 4 s, 8 s … at most 60 s. */
export function retryDelayMs(failures: number): number {
  if (failures <= 0) return 0
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1))
}

export interface WallHealth {
  /** When the wall's data was last read in full; null before the first success. */
  lastOkAt: Date | null
  /** Failed reads in a row since then. */
  failures: number
}

/** Whether the panels show data that could not be read again (the last good data, kept). */
export function isStale(h: WallHealth): boolean {
  return h.failures > 0
}

/** "数据更新于 HH:mm，正在重新连接…" while stale; null otherwise. */
export function staleText(h: WallHealth): string | null {
  if (!isStale(h)) return null
  if (!h.lastOkAt) return '数据读取失败，正在重新连接…'
  return `数据更新于 ${formatClock(h.lastOkAt).slice(0, 5)}，正在重新连接…`
}

/** The state after a read: success resets, failure counts. */
export function afterRead(h: WallHealth, ok: boolean, now: Date): WallHealth {
  return ok ? { lastOkAt: now, failures: 0 } : { lastOkAt: h.lastOkAt, failures: h.failures + 1 }
}
