import type { EChartsCoreOption } from 'echarts/core'
import { ALARM_LEVELS, type AlarmLevel } from '../../server/domain/monitoring.js'

/**
 * The trend of one sensor as an ECharts option (a pure function of the series the API gives): the
 * average per minute or hour as a line, the lowest and highest as a band around it, and the sensor's
 * thresholds as dashed lines in their level's colour, so a reader sees how close the value runs.
 */
export interface TrendPoint { t: string; avg: number; min: number; max: number }
export interface TrendThreshold { level: AlarmLevel; threshold: number | null }

export function sensorTrendOption(points: readonly TrendPoint[], o: { unit: string; thresholds: readonly TrendThreshold[]; theme: 'dark' | 'light'; fontSize?: number }): EChartsCoreOption {
  const fs = o.fontSize ?? 11
  const text = o.theme === 'dark' ? '#9cc1e8' : '#5d6b7e'
  const split = o.theme === 'dark' ? 'rgba(64,110,170,0.22)' : '#e8edf3'
  const levels = new Map(ALARM_LEVELS.map((l) => [l.code, l]))
  const lines = o.thresholds.filter((t) => t.threshold !== null).map((t) => ({
    yAxis: t.threshold,
    name: levels.get(t.level)!.label,
    lineStyle: { color: levels.get(t.level)!.color, type: 'dashed', width: 1 },
    label: { formatter: `${levels.get(t.level)!.label} ${t.threshold}`, color: levels.get(t.level)!.color, fontSize: fs - 1, position: 'insideEndTop' },
  }))
  const values = points.flatMap((p) => [p.min, p.max])
  // Keep the nearest threshold in view, so the line's distance to it can be seen.
  const nearest = o.thresholds.map((t) => t.threshold).filter((v): v is number => v !== null)
    .sort((a, b) => Math.abs(a - (values[0] ?? 0)) - Math.abs(b - (values[0] ?? 0)))[0]
  const lo = Math.min(...values, nearest ?? Infinity)
  const hi = Math.max(...values, nearest ?? -Infinity)
  const pad = (hi - lo) * 0.1 || 1
  // Round the ends to a step of the span's order of magnitude (half steps), so the axis reads 0–30, not 0–29.93.
  const step = 10 ** Math.floor(Math.log10(hi - lo + 2 * pad)) / 2
  const nice = (v: number, up: boolean) => Number(((up ? Math.ceil(v / step) : Math.floor(v / step)) * step).toPrecision(6))
  return {
    animation: false,
    grid: { left: 44, right: 12, top: 14, bottom: 22 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${Number(v).toFixed(2)} ${o.unit}` },
    xAxis: { type: 'time', axisLabel: { color: text, fontSize: fs, hideOverlap: true }, axisLine: { lineStyle: { color: split } } },
    yAxis: {
      type: 'value', name: o.unit, nameTextStyle: { color: text, fontSize: fs }, scale: true,
      min: Number.isFinite(lo) ? (lo >= 0 ? Math.max(0, nice(lo - pad, false)) : nice(lo - pad, false)) : undefined, max: Number.isFinite(hi) ? nice(hi + pad, true) : undefined,
      axisLabel: { color: text, fontSize: fs }, splitLine: { lineStyle: { color: split } },
    },
    series: [
      { name: '最低', type: 'line', data: points.map((p) => [p.t, p.min]), symbol: 'none', lineStyle: { opacity: 0 }, stack: 'band', silent: true },
      { name: '波动', type: 'line', data: points.map((p) => [p.t, p.max - p.min]), symbol: 'none', lineStyle: { opacity: 0 }, stack: 'band', areaStyle: { color: 'rgba(62,160,255,0.18)' }, silent: true, tooltip: { show: false } },
      { name: '平均', type: 'line', data: points.map((p) => [p.t, p.avg]), symbol: 'none', lineStyle: { color: '#3ea0ff', width: 1.5 }, markLine: { symbol: 'none', silent: true, data: lines } },
    ],
  }
}
