/** Display formats for zh-CN, always in China Standard Time (the command centre's clock). */

const TIME_ZONE = 'Asia/Shanghai'

function parts(date: Date): Record<string, string> {
  const fmt = new Intl.DateTimeFormat('zh-CN', {
    timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  })
  return Object.fromEntries(fmt.formatToParts(date).map((p) => [p.type, p.value]))
}

/**
 * 2024-03-01 09:05:07. The date is always part of the stamp, so an "updated at" shown after
 * midnight can never be mistaken for today's when it is yesterday's.
 */
export function formatDateTime(value: Date | string | number, withSeconds = false): string {
  const d = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(d.getTime())) return ''
  const p = parts(d)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${withSeconds ? `:${p.second}` : ''}`
}

export function formatDate(value: Date | string | number): string {
  return formatDateTime(value).slice(0, 10)
}

/** HH:mm for a time of today (China Standard Time), the full date and time for an earlier day. */
export function formatStamp(value: Date, now = new Date()): string {
  const full = formatDateTime(value)
  return full.slice(0, 10) === formatDateTime(now).slice(0, 10) ? full.slice(11) : full
}

/** Clock time HH:mm:ss in China Standard Time. */
export function formatClock(value: Date): string {
  const p = parts(value)
  return `${p.hour}:${p.minute}:${p.second}`
}

/** 12,345 with zh-CN grouping. */
export function formatCount(n: number | null | undefined): string {
  return n == null ? '—' : n.toLocaleString('zh-CN')
}

export function formatPercent(rate: number | null | undefined): string {
  return rate == null ? '—' : `${Math.round(rate * 100)}%`
}

/** The weekday in Chinese, e.g. 星期五. */
export function formatWeekday(value: Date): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: TIME_ZONE, weekday: 'long' }).format(value)
}
