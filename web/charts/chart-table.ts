/**
 * Every chart's table alternative: the numbers an ECharts option draws, as rows and columns, for
 * people who cannot see the chart (screen readers, high contrast, print) and for those who want the
 * figures. Bar and line charts over a category axis give a row per category and a column per series;
 * pie and funnel charts a row per slice; a gauge its value.
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
  if (first.type === 'pie' || first.type === 'funnel') {
    return { columns: ['名称', String(first.name ?? '数值')], rows: list(first.data).map((d, i) => [nameOf(d, i), valueOf(d)]) }
  }
  if (first.type === 'gauge') {
    return { columns: ['指标', '数值'], rows: list(first.data).map((d, i) => [nameOf(d, i), valueOf(d)]) }
  }
  const axes = [...list(o.xAxis), ...list(o.yAxis)]
  const category = axes.find((a) => a.type === 'category' && Array.isArray(a.data))
  if (!category) return null
  const categories = (category.data as unknown[]).map((c) => String(c && typeof c === 'object' && 'value' in (c as Loose) ? (c as Loose).value : c))
  const shown = series.filter((s) => s.type === 'bar' || s.type === 'line' || s.type === 'scatter')
  if (!shown.length) return null
  return {
    columns: ['类别', ...shown.map((s, i) => String(s.name ?? `系列 ${i + 1}`))],
    rows: categories.map((c, i) => [c, ...shown.map((s) => valueOf(list(s.data)[i]))]),
  }
}
