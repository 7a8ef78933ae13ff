import type { EChartsCoreOption } from 'echarts/core'
import type { DistrictSummary } from '../api/federation.js'
import type { ChartTheme } from './chart-options.js'

/**
 * The city's district-level choropleth (ECharts map series over the district boundaries registered as
 * CITY_MAP): one measure per district, on a neutral blue ramp — red, orange, yellow and blue stay the
 * risk levels' — and districts not harvested in grey.
 */

export const CITY_MAP = 'chongqing-districts'

export const CITY_METRICS = [
  { code: 'rate', label: '更新及时率', unit: '%' },
  { code: 'resources', label: '数据资源', unit: '类' },
  { code: 'features', label: '空间要素', unit: '个' },
  { code: 'majorRisks', label: '重大风险', unit: '处' },
  { code: 'reporting', label: '填报进度', unit: '%' },
] as const
export type CityMetric = (typeof CITY_METRICS)[number]['code']

/** A district's value of a measure, or null when it has nothing to judge. */
export function metricValue(d: DistrictSummary, metric: CityMetric): number | null {
  switch (metric) {
    case 'rate': return d.freshness.rate === null ? null : Math.round(d.freshness.rate * 1000) / 10
    case 'resources': return d.resources
    case 'features': return d.features
    case 'majorRisks': return d.majorRisks
    case 'reporting': return d.departments ? Math.round((d.reportedDepartments / d.departments) * 1000) / 10 : null
  }
}

/**
 * Where the map opens: centred on the harvested districts and zoomed to them (the whole city is 38
 * districts, in which two neighbours are a few pixels wide); the reader can zoom out with the wheel.
 */
export function viewOf(all: Bbox, harvested: Bbox | null): { center: [number, number]; zoom: number } | null {
  if (!harvested) return null
  const zoom = Math.min((all[2] - all[0]) / (harvested[2] - harvested[0]), (all[3] - all[1]) / (harvested[3] - harvested[1])) * 0.7
  return { center: [(harvested[0] + harvested[2]) / 2, (harvested[1] + harvested[3]) / 2], zoom: Math.max(1, Math.min(zoom, 12)) }
}
export type Bbox = [number, number, number, number]

export function cityChoroplethOption(districts: readonly DistrictSummary[], metric: CityMetric,
  o: { theme: ChartTheme; fontSize?: number; view?: { center: [number, number]; zoom: number } | null }): EChartsCoreOption {
  const dark = o.theme === 'dark'
  const fs = o.fontSize ?? 12
  const m = CITY_METRICS.find((x) => x.code === metric)!
  // Each district carries the filter it stands for: a click drills into it (ChartCanvas emits it).
  const data = districts.filter((d) => d.code).map((d) => ({ name: d.name, value: metricValue(d, metric), key: d.key, filter: { key: 'district' as const, value: d.key } }))
  const values = data.map((d) => d.value).filter((v): v is number => v !== null)
  const max = metric === 'rate' || metric === 'reporting' ? 100 : Math.max(1, ...values)
  return {
    backgroundColor: 'transparent',
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: number | null | undefined; data?: { key?: string } }) =>
        p.data?.key ? `${p.name}<br/>${m.label}：${p.value == null || Number.isNaN(p.value) ? '—' : `${p.value.toLocaleString('zh-CN')}${m.unit === '%' ? '%' : ` ${m.unit}`}`}` : `${p.name}<br/>未汇聚`,
    },
    visualMap: {
      type: 'continuous', min: 0, max, calculable: false, left: 8, bottom: 8, itemHeight: 110, itemWidth: 12,
      text: [m.unit === '%' ? '100%' : String(max), '0'], textStyle: { color: dark ? '#cfe3ff' : '#1f2d3d', fontSize: fs },
      inRange: { color: dark ? ['#10304f', '#1f6fb5', '#48d0ff'] : ['#dbeafe', '#60a5fa', '#1d4ed8'] },
    },
    series: [{
      type: 'map', map: CITY_MAP, roam: true, selectedMode: false, nameProperty: 'name', scaleLimit: { min: 1, max: 20 },
      ...(o.view ? { center: o.view.center, zoom: o.view.zoom } : {}),
      label: { show: true, fontSize: fs - 1, color: dark ? '#e6f1ff' : '#1f2d3d' },
      itemStyle: { areaColor: dark ? '#1a2433' : '#eef2f7', borderColor: dark ? '#3a5a80' : '#94a3b8', borderWidth: 0.8 },
      emphasis: { label: { color: dark ? '#fff' : '#000' }, itemStyle: { areaColor: dark ? '#2c4a6e' : '#fde68a' } },
      data,
    }],
  }
}
