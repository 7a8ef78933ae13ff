/**
 * The wall's own URL parameters (besides the workspace's filters), read once per change of the URL:
 * which layouts it shows in turn and for how long, the tour of red risks, and how often it re-reads
 * its data. Anything odd falls back to the default rather than breaking the wall.
 *
 *   /screen?pages=overview,domain:lifeline@30,supervision&dwell=60
 *   /screen?tour=1&tourTop=10&tourDepartment=7&tourInterval=12
 */

/** One layout of the wall. */
export type WallPage =
  | { kind: 'overview' }
  /** The overview of one domain (its code, e.g. lifeline): every panel and the map narrowed to it. */
  | { kind: 'domain'; domain: string }
  /** 数据督办 on the wall: departments' on-time rates, the freshness of the data, the reporting. */
  | { kind: 'supervision' }

export interface WallPageTurn {
  /** Stable within one list: the position and the token. */
  key: string
  page: WallPage
  /** How long the page stays before the next one, in seconds. */
  dwellSeconds: number
}

export const DEFAULT_DWELL_SECONDS = 60
export const MIN_DWELL_SECONDS = 5
export const MAX_DWELL_SECONDS = 3600

type Loose = string | null | undefined | (string | null)[]

/** The first value of a query parameter. */
function first(value: Loose): string | undefined {
  const v = Array.isArray(value) ? value[0] : value
  return v == null ? undefined : v
}

/** A whole number within [min, max], or null for anything else. */
function wholeIn(value: Loose, min: number, max: number): number | null {
  const s = first(value)?.trim()
  if (!s || !/^\d+$/.test(s)) return null
  const n = Number(s)
  return n >= min && n <= max ? n : null
}

function dwellOf(value: Loose, fallback: number): number {
  return wholeIn(value, MIN_DWELL_SECONDS, MAX_DWELL_SECONDS) ?? fallback
}

/** One token of `pages`: overview | supervision | domain:<code>, each optionally @<seconds>. */
function pageOf(token: string): { page: WallPage; dwell: string | undefined } | null {
  const [name, dwell, ...rest] = token.split('@')
  if (rest.length || !name) return null
  if (name === 'overview') return { page: { kind: 'overview' }, dwell }
  if (name === 'supervision') return { page: { kind: 'supervision' }, dwell }
  const domain = /^domain:([a-z0-9][a-z0-9-]{0,39})$/i.exec(name)?.[1]
  return domain ? { page: { kind: 'domain', domain }, dwell } : null
}

/**
 * The wall's pages from `pages` and `dwell`: unknown tokens are left out, a page without @seconds
 * stays `dwell` seconds (default 60, at least 5); no valid page at all is the overview alone.
 */
export function parseWallPages(pages: Loose, dwell?: Loose): WallPageTurn[] {
  const fallback = dwellOf(dwell, DEFAULT_DWELL_SECONDS)
  const tokens = (first(pages) ?? '').split(',').map((t) => t.trim()).filter(Boolean)
  const out: WallPageTurn[] = []
  for (const token of tokens) {
    const parsed = pageOf(token)
    if (parsed) out.push({ key: `${out.length}:${token}`, page: parsed.page, dwellSeconds: dwellOf(parsed.dwell, fallback) })
  }
  return out.length ? out : [{ key: '0:overview', page: { kind: 'overview' }, dwellSeconds: fallback }]
}

/** The page after `index`, round and round. */
export function nextPageIndex(turns: readonly unknown[], index: number): number {
  return turns.length ? (index + 1) % turns.length : 0
}

/** Which page a carousel shows `elapsedMs` after it started on the first, and for how much longer. */
export function pageAt(turns: readonly WallPageTurn[], elapsedMs: number): { index: number; remainingMs: number } {
  const cycle = turns.reduce((s, t) => s + t.dwellSeconds * 1000, 0)
  let t = cycle > 0 ? Math.max(0, elapsedMs) % cycle : 0
  for (const [index, turn] of turns.entries()) {
    const ms = turn.dwellSeconds * 1000
    if (t < ms) return { index, remainingMs: ms - t }
    t -= ms
  }
  return { index: 0, remainingMs: (turns[0]?.dwellSeconds ?? 0) * 1000 }
}

export interface TourSettings {
  on: boolean
  /** Only the N red risks with the highest indicator scores; null: all of them. */
  top: number | null
  /** Only the red risks of one department (its id); null: every department's. */
  department: number | null
  /** Time at each stop. */
  intervalMs: number
}

/** `tour=1` (or true) with `tourTop`, `tourDepartment` and `tourInterval` (seconds, default 12). */
export function parseTour(query: Record<string, Loose>): TourSettings {
  const on = ['1', 'true'].includes(first(query.tour) ?? '')
  return {
    on,
    top: wholeIn(query.tourTop, 1, 1000),
    department: wholeIn(query.tourDepartment, 1, Number.MAX_SAFE_INTEGER),
    intervalMs: (wholeIn(query.tourInterval, 3, 600) ?? 12) * 1000,
  }
}

/** `refresh`: how often panels are read when no live event asked for it, in seconds (default 300, at least 10). */
export function parseRefreshSeconds(value: Loose): number {
  return wholeIn(value, 10, 86_400) ?? 300
}
