/**
 * Every chart's table alternative: the numbers an ECharts option draws, as rows and columns, for
 * people who cannot see the chart (screen readers, high contrast, print) and for those who want the
 * figures. Bar and line charts over a category axis give a row per category and a column per series;
 * over a time axis a row per time; pie, funnel and map charts a row per slice or region; a heatmap
 * over two category axes a row per filled cell (its two categories and its value); a gauge its value.
 */
export interface ChartTable {
  columns: string[]
  rows: (string | number)[][]
}

type Loose = Record<string, unknown>
const list = <T = Loose>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : v ? [v as T] : [])
const valueOf = (d: unknown): string | number => {
  if (d == null || d === '-') return '—'
  if (typeof d === 'number' || typeof d === 'string') return d
  if (Array.isArray(d)) return valueOf(d[d.length - 1])
  if (typeof d === 'object' && 'value' in (d as Loose)) return valueOf((d as Loose).value)
  return '—'
}
const nameOf = (d: unknown, i: number): string => (d && typeof d === 'object' && 'name' in (d as Loose) ? String((d as Loose).name) : String(i + 1))

export function chartTable(option: unknown): ChartTable | null {
  if (!option || typeof option !== 'object') return null
  const o = option as Loose
  const series = list(o.series)
  if (!series.length) return null
  const first = series[0]!
  if (first.type === 'pie' || first.type === 'funnel' || first.type === 'map') {
    return { columns: ['名称', String(first.name ?? '数值')], rows: list(first.data).map((d, i) => [nameOf(d, i), valueOf(d)]) }
  }
  if (first.type === 'gauge') {
    return { columns: ['指标', '数值'], rows: list(first.data).map((d, i) => [nameOf(d, i), valueOf(d)]) }
  }
  const xAxes = list(o.xAxis)
  const yAxes = list(o.yAxis)
  const categoriesOf = (a: Loose | undefined) => (a && a.type === 'category' && Array.isArray(a.data)
    ? (a.data as unknown[]).map((c) => String(c && typeof c === 'object' && 'value' in (c as Loose) ? (c as Loose).value : c))
    : null)
  if (first.type === 'heatmap') {
    const xs = categoriesOf(xAxes[0])
    const ys = categoriesOf(yAxes[0])
    if (!xs || !ys) return null
    return {
      columns: [String(yAxes[0]!.name ?? '行'), String(xAxes[0]!.name ?? '列'), String(first.name ?? '数值')],
      rows: list(first.data).map((d) => {
        const v = (Array.isArray(d) ? d : (d as Loose).value) as [number, number, unknown]
        return [ys[v[1]] ?? String(v[1]), xs[v[0]] ?? String(v[0]), valueOf(v[2])]
      }),
    }
  }
  const shown = series.filter((s) => (s.type === 'bar' || s.type === 'line' || s.type === 'scatter') && (s.tooltip as Loose | undefined)?.show !== false)
  if (!shown.length) return null
  const names = shown.map((s, i) => String(s.name ?? `系列 ${i + 1}`))
  if (xAxes[0]?.type === 'time') {
    // Series of [time, value] pairs: one row per time any series has, in time order.
    const byTime = new Map<string, (string | number)[]>()
    shown.forEach((s, j) => {
      for (const d of list(s.data)) {
        const pair = (Array.isArray(d) ? d : (d as Loose).value) as unknown[] | undefined
        if (!Array.isArray(pair)) continue
        const t = timeText(pair[0])
        if (!byTime.has(t)) byTime.set(t, names.map(() => '—'))
        byTime.get(t)![j] = valueOf(pair[1])
      }
    })
    return { columns: ['时间', ...names], rows: [...byTime.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([t, vs]) => [t, ...vs]) }
  }
  const categories = categoriesOf([...xAxes, ...yAxes].find((a) => a.type === 'category' && Array.isArray(a.data)))
  if (!categories) return null
  return {
    columns: ['类别', ...names],
    rows: categories.map((c, i) => [c, ...shown.map((s) => valueOf(list(s.data)[i]))]),
  }
}

/** A time as the table shows it: 2024-05-01 08:30 (Beijing time, the product's). */
function timeText(t: unknown): string {
  const ms = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : NaN
  if (Number.isNaN(ms)) return String(t)
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
}
