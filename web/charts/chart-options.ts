import type { EChartsCoreOption } from 'echarts/core'
import { FEATURE_KINDS, FRESHNESS_STATUSES, REPORT_STATUSES, RISK_LEVELS, labelOf } from '../../server/domain/enums.js'
import type { FreshnessStatus, ReportStatus } from '../../server/domain/enums.js'
import type { ListFilterKey } from '../api/filter-params.js'
import { formatDate } from '../lib/format.js'
import type { Coverage, Department, FreshnessStats, RiskStats, UpdateCycleStats } from '../api/types.js'

/**
 * ECharts options for the panels, as pure functions of the API's statistics. Every clickable data
 * element carries the filter it stands for, so a click in any chart becomes a filter.
 */

export type ChartTheme = 'dark' | 'light'

/** What a click on a chart element adds to the filters. */
export interface ChartFilter {
  key: ListFilterKey
  value: string
}

interface Tone {
  text: string
  subtext: string
  axis: string
  split: string
  tooltipBg: string
  tooltipText: string
}

const TONES: Record<ChartTheme, Tone> = {
  dark: { text: '#cfe3ff', subtext: '#7f9cc0', axis: '#2a4467', split: 'rgba(64,110,170,0.22)', tooltipBg: 'rgba(6,18,38,0.94)', tooltipText: '#e6f1ff' },
  light: { text: '#1f2d3d', subtext: '#5d6b7e', axis: '#c3cfdd', split: '#e8edf3', tooltipBg: 'rgba(255,255,255,0.97)', tooltipText: '#1f2d3d' },
}

const CHART_FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'

/** Domain colours: one hue per annex-1 domain, distinct from the four risk colours. */
const DOMAIN_COLORS: Record<string, string> = {
  lifeline: '#2fc7e8',
  public: '#7c8cff',
  production: '#f59e0b',
  natural: '#34d399',
}
const FALLBACK_COLORS = ['#60a5fa', '#f472b6', '#a3e635', '#fb7185']

export function domainColor(code: string, index = 0): string {
  return DOMAIN_COLORS[code] ?? FALLBACK_COLORS[index % FALLBACK_COLORS.length]
}

const FRESHNESS_COLORS: Record<FreshnessStatus, string> = {
  'on-time': '#22c55e',
  'due-soon': '#eab308',
  overdue: '#ef4444',
  never: '#64748b',
  'not-judged': '#94a3b8',
}

const REPORT_COLORS: Record<ReportStatus, string> = {
  'resources-reported': '#22c55e',
  'systems-reported': '#38bdf8',
  'no-systems': '#a78bfa',
  'not-started': '#64748b',
  late: '#ef4444',
}

function base(theme: ChartTheme, compact: boolean): EChartsCoreOption {
  const t = TONES[theme]
  return {
    backgroundColor: 'transparent',
    textStyle: { fontFamily: CHART_FONT, color: t.text },
    animationDuration: 500,
    tooltip: {
      confine: true,
      backgroundColor: t.tooltipBg,
      borderColor: t.axis,
      textStyle: { color: t.tooltipText, fontFamily: CHART_FONT, fontSize: 12 },
    },
    grid: { left: 8, right: compact ? 10 : 16, top: compact ? 12 : 20, bottom: 4, containLabel: true },
  }
}

function axisStyle(theme: ChartTheme, fontSize: number) {
  const t = TONES[theme]
  return {
    axisLine: { lineStyle: { color: t.axis } },
    axisTick: { show: false },
    axisLabel: { color: t.subtext, fontSize, fontFamily: CHART_FONT },
    splitLine: { lineStyle: { color: t.split } },
  }
}

export interface ChartOptions {
  theme: ChartTheme
  /** The wall screen's panels are small and seen from afar: fewer labels, larger type. */
  compact?: boolean
  fontSize?: number
  /** The atlas's district: department names drop it on crowded axes (渝北区应急局 → 应急局). */
  district?: string
}

/** A department's name without the atlas's district in front. */
const withoutDistrict = (name: string, district = '') => (district && name.startsWith(district) ? name.slice(district.length) : name)

/** Sub-categories covered per domain (annex 1): covered vs. not yet covered; click filters the domain. */
export function domainCoverageOption(coverage: Coverage, o: ChartOptions): EChartsCoreOption {
  const fs = o.fontSize ?? 12
  const domains = coverage.domains
  const t = TONES[o.theme]
  return {
    ...base(o.theme, !!o.compact),
    tooltip: { ...(base(o.theme, true).tooltip as object), trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { show: false },
    xAxis: { type: 'value', minInterval: 1, ...axisStyle(o.theme, fs) },
    yAxis: {
      type: 'category',
      inverse: true,
      data: domains.map((d) => d.name),
      ...axisStyle(o.theme, fs),
      axisLabel: { color: t.text, fontSize: fs, fontFamily: CHART_FONT },
    },
    series: [
      {
        name: '已覆盖子类',
        type: 'bar',
        stack: 'c',
        barMaxWidth: 18,
        // An empty bar gets no label: a 0 would sit on the axis labels.
        label: { show: true, position: 'insideRight', color: '#fff', fontSize: fs - 1, formatter: (p: { value: number }) => (p.value ? String(p.value) : '') },
        data: domains.map((d, i) => ({
          value: d.covered,
          itemStyle: { color: domainColor(d.code, i), borderRadius: d.covered === d.total ? [0, 3, 3, 0] : 0 },
          filter: { key: 'domain', value: d.code } satisfies ChartFilter,
        })),
      },
      {
        name: '未覆盖子类',
        type: 'bar',
        stack: 'c',
        barMaxWidth: 18,
        label: { show: false },
        data: domains.map((d) => ({
          value: Math.max(0, d.total - d.covered),
          itemStyle: { color: o.theme === 'dark' ? 'rgba(120,150,190,0.22)' : '#dfe6ee', borderRadius: [0, 3, 3, 0] },
          filter: { key: 'domain', value: d.code } satisfies ChartFilter,
        })),
      },
    ],
  }
}

/** Resources per annex-1 sub-category, coloured by domain; empty bars show the gaps. */
export function subcategoryCoverageOption(coverage: Coverage, o: ChartOptions): EChartsCoreOption {
  const fs = o.fontSize ?? 12
  const rows = coverage.domains.flatMap((d, di) =>
    d.subcategories.map((s) => ({ domain: d, color: domainColor(d.code, di), sub: s })),
  )
  return {
    ...base(o.theme, !!o.compact),
    tooltip: {
      ...(base(o.theme, true).tooltip as object),
      trigger: 'item',
      formatter: (p: { data: { name: string; value: number; features: number; monitoring: number; domainName: string } }) =>
        `${escapeText(p.data.domainName)} · ${escapeText(p.data.name)}<br/>资源 ${p.data.value}　要素 ${p.data.features}　监测 ${p.data.monitoring}`,
    },
    grid: { left: 8, right: 8, top: 16, bottom: 4, containLabel: true },
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.sub.name),
      ...axisStyle(o.theme, fs - 1),
      axisLabel: { color: TONES[o.theme].subtext, fontSize: fs - 1, interval: 0, rotate: 50, fontFamily: CHART_FONT },
    },
    yAxis: { type: 'value', minInterval: 1, ...axisStyle(o.theme, fs - 1) },
    series: [
      {
        name: '数据资源',
        type: 'bar',
        barMaxWidth: 14,
        data: rows.map((r) => ({
          value: r.sub.resources,
          name: r.sub.name,
          features: r.sub.features,
          monitoring: r.sub.monitoring,
          domainName: r.domain.name,
          itemStyle: { color: r.color, borderRadius: [2, 2, 0, 0] },
          filter: { key: 'subcategory', value: r.sub.code } satisfies ChartFilter,
        })),
      },
    ],
  }
}

/** Department × sub-category heat map of resources: who covers what. */
export function departmentCoverageOption(coverage: Coverage, o: ChartOptions): EChartsCoreOption {
  const fs = o.fontSize ?? 11
  const subs = coverage.domains.flatMap((d) => d.subcategories)
  const depts = coverage.byDepartment
  const data: { value: [number, number, number]; filter: ChartFilter; dept: string; sub: string }[] = []
  let max = 1
  depts.forEach((d, y) => {
    for (const cell of d.cells) {
      const x = subs.findIndex((s) => s.code === cell.subcategoryCode)
      if (x < 0 || cell.resources === 0) continue
      max = Math.max(max, cell.resources)
      data.push({ value: [x, y, cell.resources], filter: { key: 'department', value: String(d.departmentId) }, dept: d.name, sub: subs[x].name })
    }
  })
  const t = TONES[o.theme]
  return {
    ...base(o.theme, !!o.compact),
    tooltip: {
      ...(base(o.theme, true).tooltip as object),
      formatter: (p: { data: { dept: string; sub: string; value: [number, number, number] } }) =>
        `${escapeText(p.data.dept)}<br/>${escapeText(p.data.sub)}：${p.data.value[2]} 个资源`,
    },
    grid: { left: 8, right: 8, top: 8, bottom: 4, containLabel: true },
    xAxis: {
      type: 'category',
      data: subs.map((s) => s.name),
      splitArea: { show: false },
      ...axisStyle(o.theme, fs - 1),
      axisLabel: { color: t.subtext, fontSize: fs - 1, interval: 0, rotate: 50, fontFamily: CHART_FONT },
    },
    yAxis: {
      type: 'category',
      data: depts.map((d) => withoutDistrict(d.name, o.district)),
      ...axisStyle(o.theme, fs),
      axisLabel: { color: t.text, fontSize: fs, fontFamily: CHART_FONT },
    },
    visualMap: {
      show: false,
      min: 0,
      max,
      inRange: { color: o.theme === 'dark' ? ['#123a63', '#1e88e5', '#3ee0ff'] : ['#d6e8ff', '#4f8ff7', '#0b3d91'] },
    },
    series: [{ name: '资源数', type: 'heatmap', data, itemStyle: { borderColor: o.theme === 'dark' ? '#06101f' : '#fff', borderWidth: 1 } }],
  }
}

/** Resources per declared update cycle; click filters the cycle. */
export function updateCycleOption(stats: UpdateCycleStats, o: ChartOptions): EChartsCoreOption {
  const fs = o.fontSize ?? 12
  return {
    ...base(o.theme, !!o.compact),
    tooltip: { ...(base(o.theme, true).tooltip as object), trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: stats.cycles.map((c) => c.label),
      ...axisStyle(o.theme, fs),
      axisLabel: { color: TONES[o.theme].subtext, fontSize: fs, interval: 0, fontFamily: CHART_FONT },
    },
    yAxis: { type: 'value', minInterval: 1, ...axisStyle(o.theme, fs - 1) },
    series: [
      {
        name: '数据资源',
        type: 'bar',
        barMaxWidth: 22,
        label: { show: true, position: 'top', color: TONES[o.theme].text, fontSize: fs - 1 },
        data: stats.cycles.map((c) => ({
          value: c.resources,
          itemStyle: {
            borderRadius: [3, 3, 0, 0],
            color: {
              type: 'linear', x: 0, y: 0, x2: 0, y2: 1,
              colorStops: [{ offset: 0, color: '#3ee0ff' }, { offset: 1, color: o.theme === 'dark' ? 'rgba(30,110,220,0.35)' : '#1f6feb' }],
            },
          },
          filter: { key: 'updateCycle', value: c.code } satisfies ChartFilter,
        })),
      },
    ],
  }
}

/** Freshness totals as a ring with the on-time rate in the middle; click filters the status. */
export function freshnessOption(stats: FreshnessStats, o: ChartOptions): EChartsCoreOption {
  const fs = o.fontSize ?? 12
  const t = TONES[o.theme]
  const judged = (['on-time', 'due-soon', 'overdue', 'never'] as const).reduce((n, k) => n + (stats.totals[k] ?? 0), 0)
  const good = (stats.totals['on-time'] ?? 0) + (stats.totals['due-soon'] ?? 0)
  const rate = judged ? Math.round((good / judged) * 100) : null
  return {
    ...base(o.theme, !!o.compact),
    tooltip: { ...(base(o.theme, true).tooltip as object), trigger: 'item', formatter: '{b}：{c}（{d}%）' },
    legend: {
      orient: 'vertical',
      right: 4,
      top: 'middle',
      itemWidth: 10,
      itemHeight: 10,
      itemGap: o.compact ? 8 : 10,
      textStyle: { color: t.text, fontSize: fs, fontFamily: CHART_FONT },
    },
    title: {
      text: rate === null ? '—' : `${rate}%`,
      subtext: '按时率',
      left: '34%',
      top: 'center',
      textAlign: 'center',
      itemGap: 2,
      textStyle: { color: t.text, fontSize: fs + 10, fontWeight: 600, fontFamily: CHART_FONT },
      subtextStyle: { color: t.subtext, fontSize: fs - 1, fontFamily: CHART_FONT },
    },
    series: [
      {
        name: '数据新鲜度',
        type: 'pie',
        radius: ['52%', '76%'],
        center: ['35%', '52%'],
        avoidLabelOverlap: true,
        label: { show: false },
        itemStyle: { borderColor: o.theme === 'dark' ? '#081527' : '#fff', borderWidth: 2 },
        data: FRESHNESS_STATUSES.map((s) => ({
          name: s.label,
          value: stats.totals[s.code] ?? 0,
          itemStyle: { color: FRESHNESS_COLORS[s.code] },
          filter: { key: 'freshness', value: s.code } satisfies ChartFilter,
        })),
      },
    ],
  }
}

/** Departments ranked by on-time rate from the lowest (由低到高), the bureau's chase list; click filters the department. */
export function departmentFreshnessOption(stats: FreshnessStats, o: ChartOptions & { limit?: number }): EChartsCoreOption {
  const fs = o.fontSize ?? 12
  const rows = stats.departments
    .filter((d) => d.onTimeRate !== null)
    .sort((a, b) => (a.onTimeRate ?? 0) - (b.onTimeRate ?? 0))
    .slice(0, o.limit ?? 13)
  return {
    ...base(o.theme, !!o.compact),
    tooltip: { ...(base(o.theme, true).tooltip as object), trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v}%` },
    xAxis: { type: 'value', max: 100, ...axisStyle(o.theme, fs - 1), axisLabel: { show: false } },
    yAxis: {
      type: 'category',
      // A category axis draws its first entry at the bottom: inverted, the lowest rate is read first, at the top.
      inverse: true,
      data: rows.map((d) => withoutDistrict(d.name, o.district)),
      ...axisStyle(o.theme, fs),
      axisLabel: { color: TONES[o.theme].text, fontSize: fs, fontFamily: CHART_FONT },
    },
    series: [
      {
        name: '按时更新率',
        type: 'bar',
        barMaxWidth: 12,
        showBackground: true,
        backgroundStyle: { color: o.theme === 'dark' ? 'rgba(120,150,190,0.12)' : '#eef2f7', borderRadius: 6 },
        label: { show: true, position: 'right', color: TONES[o.theme].text, fontSize: fs - 1, formatter: '{c}%' },
        data: rows.map((d) => {
          const pct = Math.round((d.onTimeRate ?? 0) * 100)
          return {
            value: pct,
            itemStyle: { borderRadius: 6, color: pct >= 80 ? FRESHNESS_COLORS['on-time'] : pct >= 50 ? FRESHNESS_COLORS['due-soon'] : FRESHNESS_COLORS.overdue },
            filter: { key: 'department', value: String(d.departmentId) } satisfies ChartFilter,
          }
        }),
      },
    ],
    grid: { left: 8, right: 40, top: 6, bottom: 4, containLabel: true },
  }
}

/** Risk levels per feature kind, stacked red → blue; click filters kind and level. */
/** Horizontal bars stacked by level over named rows (the risk charts): the shared frame, legend above. */
function levelStackFrame(o: ChartOptions, labels: string[], allLabels = false): EChartsCoreOption {
  const fs = o.fontSize ?? 12
  const t = TONES[o.theme]
  return {
    ...base(o.theme, !!o.compact),
    tooltip: { ...(base(o.theme, true).tooltip as object), trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, right: 0, itemWidth: 10, itemHeight: 10, textStyle: { color: t.text, fontSize: fs - 1, fontFamily: CHART_FONT } },
    grid: { left: 8, right: 12, top: 26, bottom: 4, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, ...axisStyle(o.theme, fs - 1) },
    yAxis: {
      type: 'category',
      inverse: true,
      data: labels,
      ...axisStyle(o.theme, fs),
      axisLabel: { color: t.text, fontSize: fs, fontFamily: CHART_FONT, ...(allLabels ? { interval: 0 } : {}) },
    },
  }
}

export function riskOption(stats: RiskStats, o: ChartOptions): EChartsCoreOption {
  const kinds = stats.byKind.filter((k) => k.red + k.orange + k.yellow + k.blue > 0)
  return {
    ...levelStackFrame(o, kinds.map((k) => labelOf(FEATURE_KINDS, k.kind))),
    series: RISK_LEVELS.map((r) => ({
      name: r.label,
      type: 'bar',
      stack: 'risk',
      barMaxWidth: 16,
      itemStyle: { color: r.color },
      data: kinds.map((k) => ({ value: k[r.code], filter: { key: 'risk', value: r.code } satisfies ChartFilter, kind: k.kind })),
    })),
  }
}

/** The colour of 未定级 beside the four risk colours. */
export const UNGRADED_COLOR = '#94a3b8'

/**
 * The category level: each sub-category's risk points and hazard sources by level, stacked red → blue
 * then 未定级, most severe first as the API lists them (the first `limit` of them; the table beside the
 * chart lists all). A click filters the sub-category.
 */
export function categoryRiskOption(
  items: readonly { code: string; name: string; counts: Record<'red' | 'orange' | 'yellow' | 'blue', number>; ungraded: number; total: number }[],
  o: ChartOptions & { limit?: number },
): EChartsCoreOption {
  const rows = items.slice(0, o.limit ?? 12)
  const stack = [
    ...RISK_LEVELS.map((r) => ({ name: r.label, color: r.color, value: (c: (typeof rows)[number]) => c.counts[r.code] })),
    { name: '未定级', color: UNGRADED_COLOR, value: (c: (typeof rows)[number]) => c.ungraded },
  ]
  return {
    // Every sub-category is named: a skipped label would hide which bar is which.
    ...levelStackFrame(o, rows.map((c) => c.name), true),
    series: stack.map((s) => ({
      name: s.name,
      type: 'bar',
      stack: 'category',
      barMaxWidth: 16,
      itemStyle: { color: s.color },
      data: rows.map((c) => ({ value: s.value(c), filter: { key: 'subcategory', value: c.code } satisfies ChartFilter })),
    })),
  }
}

/** Reporting progress: each department's resources, coloured by its reporting status. */
export function reportingOption(departments: Department[], o: ChartOptions): EChartsCoreOption {
  const fs = o.fontSize ?? 12
  const t = TONES[o.theme]
  const rows = [...departments].sort((a, b) => b.resourceCount - a.resourceCount)
  return {
    ...base(o.theme, !!o.compact),
    tooltip: {
      ...(base(o.theme, true).tooltip as object),
      trigger: 'item',
      formatter: (p: { data: { dept: string; status: string; value: number; systems: number } }) =>
        `${escapeText(p.data.dept)}<br/>${escapeText(p.data.status)} · 系统 ${p.data.systems} · 资源 ${p.data.value}`,
    },
    grid: { left: 8, right: 30, top: 6, bottom: 4, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, ...axisStyle(o.theme, fs - 1), axisLabel: { show: false } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((d) => (d.shortName || d.name).replace(/^区/, '')),
      ...axisStyle(o.theme, fs),
      // Every department is named: skipping labels would hide who is behind.
      axisLabel: { color: t.text, fontSize: fs, fontFamily: CHART_FONT, interval: 0 },
    },
    series: [
      {
        name: '已报资源',
        type: 'bar',
        barMaxWidth: 10,
        label: { show: true, position: 'right', color: t.text, fontSize: fs - 1 },
        data: rows.map((d) => ({
          value: d.resourceCount,
          dept: d.name,
          systems: d.systemCount,
          status: labelOf(REPORT_STATUSES, d.reportStatus ?? 'not-started'),
          itemStyle: { color: REPORT_COLORS[d.reportStatus ?? 'not-started'], borderRadius: 6 },
          filter: { key: 'department', value: String(d.id) } satisfies ChartFilter,
        })),
      },
    ],
  }
}

/** Tooltip formatters return HTML: every data string goes through this first. */
export function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
}

/** The filter a clicked chart element stands for, if any. */
export function filterOfClick(params: { data?: unknown }): ChartFilter | null {
  const f = (params.data as { filter?: ChartFilter } | undefined)?.filter
  return f && typeof f.key === 'string' && typeof f.value === 'string' ? f : null
}

/** One department's coverage: resources and features per sub-category of the domains it reports in. */
export function departmentSubcategoryOption(
  rows: { name: string; domainName: string; resources: number; features: number }[],
  o: ChartOptions,
): EChartsCoreOption {
  const fs = o.fontSize ?? 12
  const t = TONES[o.theme]
  return {
    ...base(o.theme, !!o.compact),
    tooltip: { ...(base(o.theme, true).tooltip as object), trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, right: 0, itemWidth: 10, itemHeight: 10, textStyle: { color: t.text, fontSize: fs - 1, fontFamily: CHART_FONT } },
    grid: [
      { left: 8, top: 28, bottom: 4, width: '46%', containLabel: true },
      { right: 16, top: 28, bottom: 4, width: '40%', containLabel: false },
    ],
    xAxis: [
      { type: 'value', gridIndex: 0, minInterval: 1, ...axisStyle(o.theme, fs - 1) },
      { type: 'value', gridIndex: 1, minInterval: 1, ...axisStyle(o.theme, fs - 1) },
    ],
    yAxis: [
      { type: 'category', gridIndex: 0, inverse: true, data: rows.map((r) => r.name), ...axisStyle(o.theme, fs), axisLabel: { color: t.text, fontSize: fs, fontFamily: CHART_FONT } },
      { type: 'category', gridIndex: 1, inverse: true, data: rows.map((r) => r.name), ...axisStyle(o.theme, fs), axisLabel: { show: false } },
    ],
    series: [
      { name: '数据资源', type: 'bar', xAxisIndex: 0, yAxisIndex: 0, barMaxWidth: 12, itemStyle: { color: '#3ea6ff', borderRadius: 6 }, label: { show: true, position: 'right', color: t.text, fontSize: fs - 1 }, data: rows.map((r) => r.resources) },
      { name: '空间要素', type: 'bar', xAxisIndex: 1, yAxisIndex: 1, barMaxWidth: 12, itemStyle: { color: '#34d399', borderRadius: 6 }, label: { show: true, position: 'right', color: t.text, fontSize: fs - 1 }, data: rows.map((r) => r.features) },
    ],
  }
}

/**
 * The on-time rate month by month: the whole atlas dashed, one department bold with its figures. A
 * month with nothing to judge is a gap, not a zero. Legend and axes in the theme's colours.
 */
export function freshnessTrendOption(
  months: readonly string[],
  overall: readonly (number | null)[],
  department: { name: string; rates: readonly (number | null)[] } | null,
  o: ChartOptions,
): EChartsCoreOption {
  const fs = o.fontSize ?? 12
  const t = TONES[o.theme]
  const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10)
  const line = o.theme === 'dark' ? '#3ea6ff' : '#1f6feb'
  return {
    ...base(o.theme, !!o.compact),
    tooltip: { ...(base(o.theme, true).tooltip as object), trigger: 'axis', valueFormatter: (v: unknown) => (v == null ? '无可考核资源' : `${v}%`) },
    legend: { top: 0, itemWidth: 18, itemHeight: 10, textStyle: { color: t.text, fontSize: fs, fontFamily: CHART_FONT } },
    grid: { left: 48, right: 20, top: 34, bottom: 28 },
    xAxis: { type: 'category', data: months.map((m) => `${m.slice(2, 4)}年${Number(m.slice(5))}月`), ...axisStyle(o.theme, fs - 1) },
    yAxis: { type: 'value', min: 0, max: 100, ...axisStyle(o.theme, fs - 1), axisLabel: { formatter: '{value}%', color: t.subtext, fontSize: fs - 1, fontFamily: CHART_FONT } },
    series: [
      { name: '全区', type: 'line', data: overall.map(pct), connectNulls: false, lineStyle: { width: 2, type: 'dashed' }, itemStyle: { color: '#94a3b8' }, symbolSize: 5 },
      ...(department
        ? [{
            name: department.name, type: 'line', data: department.rates.map(pct), lineStyle: { width: 3 }, itemStyle: { color: line }, symbolSize: 7,
            label: { show: true, formatter: (p: { value: number | null }) => (p.value == null ? '' : `${Math.round(p.value)}%`), fontSize: fs - 1, color: line },
          }]
        : []),
    ],
  }
}

/** A resource's recorded updates over time (records per update). */
export function updateHistoryOption(updates: { updatedAt: string; recordCount: number }[], o: ChartOptions): EChartsCoreOption {
  const fs = o.fontSize ?? 12
  const rows = [...updates].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
  return {
    ...base(o.theme, !!o.compact),
    tooltip: { ...(base(o.theme, true).tooltip as object), trigger: 'axis' },
    // A category axis of dates: a time axis zooms to hours when there are only a few updates.
    xAxis: { type: 'category', data: rows.map((u) => formatDate(u.updatedAt)), ...axisStyle(o.theme, fs - 1) },
    yAxis: { type: 'value', name: '记录数', nameTextStyle: { color: TONES[o.theme].subtext, fontSize: fs - 1 }, ...axisStyle(o.theme, fs - 1) },
    series: [
      {
        name: '更新记录数',
        type: 'bar',
        barMaxWidth: 10,
        itemStyle: { color: '#3ea6ff', borderRadius: [2, 2, 0, 0] },
        data: rows.map((u) => u.recordCount),
      },
    ],
  }
}
