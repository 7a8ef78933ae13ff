import { init, type ECharts } from 'echarts/core'
import { ALARM_LEVELS, CHANNEL_BY_CODE, type AlarmLevel } from '../../server/domain/monitoring.js'
import { el, liveSlot } from './feature-popup.js'
import { answer, api } from '../api/client.js'
import { sensorTrendOption } from '../charts/monitoring-options.js'
import { formatDateTime } from '../lib/format.js'
import { userMessage } from '../lib/user-message.js'

const LEVELS = new Map(ALARM_LEVELS.map((l) => [l.code, l]))

/**
 * The live part of a monitoring point's popup: each sensor's latest value against its thresholds
 * (coloured by the level it alarms at, or marked offline), the open alarm if any, and a 24-hour or
 * 30-day trend of one sensor. Built with textContent only (the popup is dark on every theme). Returns a
 * function that disposes the chart.
 */
export function appendMonitoring(root: HTMLElement, pointId: number, navigate: (path: string) => void): () => void {
  const box = el('div', 'atlas-popup__monitoring')
  box.dataset.testid = 'point-monitoring'
  box.append(el('div', 'atlas-popup__section', '实时监测'), el('div', 'atlas-popup__muted', '读取监测数据…'))
  // After the provenance, before the folded details.
  liveSlot(root).append(box)
  let chart: ECharts | null = null
  let disposed = false

  void (async () => {
    try {
      const data = await answer(api.monitoring.points[':id'].$get({ param: { id: String(pointId) } }))
      if (disposed) return
      box.replaceChildren(el('div', 'atlas-popup__section', '实时监测'))
      if (data.openAlarm) {
        const a = data.openAlarm
        const tag = el('div', 'atlas-popup__alarm', `${LEVELS.get(a.level as AlarmLevel)?.label ?? ''}告警 · 未办结（告警中心 #${a.id}）`)
        tag.style.setProperty('--c', LEVELS.get(a.level as AlarmLevel)?.color ?? '#e02020')
        box.append(tag)
      }
      if (!data.sensors.length) {
        box.append(el('div', 'atlas-popup__muted', '暂无监测读数'))
        return
      }
      const list = el('div', 'atlas-sensors')
      for (const s of data.sensors) {
        const row = el('div', 'atlas-sensor')
        const label = CHANNEL_BY_CODE.get(s.channel)?.label ?? s.channel
        row.append(el('span', 'atlas-sensor__label', label))
        const value = el('span', 'atlas-sensor__value num', s.lastValue === null ? '—' : `${s.lastValue} ${s.unit}`)
        if (s.silentSince) {
          value.textContent = '离线'
          value.classList.add('atlas-sensor__value--silent')
        } else if (s.alarmLevel) value.style.color = LEVELS.get(s.alarmLevel)?.color ?? ''
        row.append(value)
        const lowest = s.thresholds.at(-1)
        if (lowest?.threshold != null) row.append(el('span', 'atlas-sensor__limit', `${lowest.direction === 'below' ? '≤' : '≥'}${lowest.threshold} 告警`))
        if (s.lastAt) row.title = `更新于 ${formatDateTime(s.lastAt, true)}`
        list.append(row)
      }
      box.append(list)
      const first = data.sensors[0]!
      const tabs = el('div', 'atlas-sensor__ranges')
      const chartBox = el('div', 'atlas-sensor__chart')
      chartBox.dataset.chart = 'sensor-trend'
      const show = async (range: '24h' | '30d') => {
        for (const b of tabs.querySelectorAll('button')) b.classList.toggle('is-active', b.dataset.range === range)
        const series = await answer(api.monitoring.sensors[':id'].series.$get({ param: { id: String(first.id) }, query: { range } }))
        if (disposed) return
        if (!series.points.length) {
          chart?.clear()
          chartBox.dataset.empty = '1'
          return
        }
        delete chartBox.dataset.empty
        chart ??= init(chartBox, null, { renderer: 'svg' })
        chart.setOption(sensorTrendOption(series.points, { unit: series.unit, thresholds: first.thresholds, theme: 'dark' }), true)
      }
      for (const [range, text] of [['24h', '24 小时'], ['30d', '30 天']] as const) {
        const b = el('button', 'atlas-sensor__range', text)
        b.type = 'button'
        b.dataset.range = range
        b.addEventListener('click', () => void show(range).catch(() => undefined))
        tabs.append(b)
      }
      const page = el('a', 'atlas-popup__link', '监测详情 →')
      page.href = `/points/${pointId}`
      page.addEventListener('click', (e) => {
        e.preventDefault()
        navigate(`/points/${pointId}`)
      })
      box.append(el('div', 'atlas-popup__muted', `${CHANNEL_BY_CODE.get(first.channel)?.label ?? first.channel}趋势`), tabs, chartBox, page)
      await show('24h')
    } catch (e) {
      if (disposed) return
      box.replaceChildren(el('div', 'atlas-popup__section', '实时监测'), el('div', 'atlas-popup__muted', `监测数据读取失败：${userMessage(e)}`))
    }
  })()
  return () => {
    disposed = true
    chart?.dispose()
    chart = null
  }
}
