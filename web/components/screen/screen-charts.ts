import type { EChartsCoreOption } from 'echarts/core'

/**
 * The workspace's chart options made legible on the wall, read from 5 m: every text at least the
 * wall's minimum size at the 1920 × 1080 design canvas (the whole canvas scales with the screen, so
 * a 3840 × 2160 wall draws it twice as large), and short category names where a row is crowded.
 */

/** The smallest text on the wall at its 1920 × 1080 design size. */
export const WALL_MIN_FONT_PX = 18

/** A copy of an option with every `fontSize` raised to at least `min` (tooltips aside: they are read up close). */
export function withMinFontSize<T>(option: T, min = WALL_MIN_FONT_PX): T {
  const walk = (node: unknown, key: string): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, key))
    if (!node || typeof node !== 'object' || key === 'tooltip') return node
    // Only plain objects: gradients and functions are kept as they are.
    if (Object.getPrototypeOf(node) !== Object.prototype) return node
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === 'fontSize' && typeof v === 'number' ? Math.max(v, min) : walk(v, k)
    }
    return out
  }
  return walk(option, '') as T
}

/** 每季度 → 季度: update cycles as the wall's narrow columns can hold them. */
const SHORT_CYCLES: Record<string, string> = { 每日: '日', 每周: '周', 每月: '月', 每季度: '季度', 每半年: '半年', 每年: '年' }

/**
 * The update-cycle chart for the wall: short names, and only the cycles some resource declares (nine
 * columns of 18 px names do not fit the panel; an empty column says nothing from across the room).
 */
export function wallCycleOption(option: EChartsCoreOption): EChartsCoreOption {
  const x = option.xAxis as { data?: string[] } | undefined
  const [series, ...rest] = (option.series as { data?: { value: number }[] }[] | undefined) ?? []
  if (!x?.data || !series?.data) return option
  const keep = series.data.map((d, i) => (d.value > 0 ? i : -1)).filter((i) => i >= 0)
  const shown = keep.length ? keep : series.data.map((_, i) => i)
  const y = option.yAxis as { axisLabel?: object } | undefined
  return {
    ...option,
    xAxis: { ...x, data: shown.map((i) => SHORT_CYCLES[x.data![i]!] ?? x.data![i]!) },
    // Each column carries its count: the value axis needs no labels of its own.
    yAxis: { ...y, axisLabel: { ...y?.axisLabel, show: false } },
    // Room above the tallest column for its count.
    grid: { ...(option.grid as object), top: 28 },
    series: [{ ...series, data: shown.map((i) => series.data![i]!) }, ...rest],
  }
}

/** A horizontal bar chart whose value labels stand right of the bars: room for "100%" at the wall's size. */
export function withRoomForValues(option: EChartsCoreOption, right = 62): EChartsCoreOption {
  const grid = (option.grid ?? {}) as { right?: number }
  return { ...option, grid: { ...grid, right: Math.max(grid.right ?? 0, right) } }
}
