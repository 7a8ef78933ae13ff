import type { FeatureDetail } from '../api/geojson.js'
import { answer, api, cancel } from '../api/client.js'
import { formatDateTime } from '../lib/format.js'
import { riskLevelColor, riskLevelLabel, riskProblem } from '../lib/risk-display.js'
import { assessmentSummary, type AssessmentWhy, type LatestAssessment } from '../lib/risk-summary.js'
import { el, liveSlot } from './feature-popup.js'

/**
 * The risk part of a risk point's or hazard source's popup, read from GET /api/features/:id/assessments:
 * the latest level with how it was assessed (an override as such) and why — a small 5 × 5 matrix with
 * the assessed cell, the LEC figures with their band, or the two indicator scores — or 尚未评估 with the
 * level the data came with; while loading or after a failure it says so (with a retry) and shows no
 * figure. Built with textContent only: reasons and names come from users. Returns a function that
 * stops it when the popup closes.
 */
export function appendRiskAssessment(root: HTMLElement, feature: FeatureDetail, navigate: (path: string) => void): () => void {
  const p = feature.properties
  const box = el('section', 'atlas-popup__risk')
  box.dataset.testid = 'popup-risk'
  // After the provenance, before the folded details.
  liveSlot(root).append(box)
  let disposed = false
  let controller: AbortController | null = null

  const title = () => el('div', 'atlas-popup__section', '风险评估')
  const details = () => {
    const path = `/risk-points/${p.id}`
    const a = el('a', 'atlas-popup__link', '查看评估详情 →')
    a.href = path
    a.dataset.action = 'risk-details'
    a.addEventListener('click', (e) => {
      e.preventDefault()
      navigate(path)
    })
    const line = el('div', 'atlas-risk__more')
    line.append(a)
    return line
  }
  const chip = (level: string | null, testid?: string) => {
    const span = el('span', 'atlas-risk__chip', riskLevelLabel(level))
    span.style.setProperty('--risk', riskLevelColor(level))
    span.dataset.level = level ?? 'none'
    if (testid) span.dataset.testid = testid
    return span
  }

  const load = async () => {
    controller?.abort()
    controller = new AbortController()
    box.dataset.state = 'loading'
    delete box.dataset.level
    box.replaceChildren(title(), el('div', 'atlas-popup__muted', '评估加载中…'), details())
    try {
      const data = await answer(api.features[':id'].assessments.$get({ param: { id: String(p.id) } }, cancel(controller.signal)))
      if (disposed) return
      const latest = data.latest as LatestAssessment | null
      if (!latest) {
        box.dataset.state = 'never'
        const line = el('div', 'atlas-risk__never')
        line.append(el('strong', undefined, '尚未评估'), el('span', 'atlas-popup__muted', data.feature.riskLevel ? '填报等级' : '填报数据未定级'))
        if (data.feature.riskLevel) line.append(chip(data.feature.riskLevel, 'popup-risk-recorded'))
        box.replaceChildren(title(), line, details())
        return
      }
      const scope = latest.model.scope ? `${feature.properties.provenance?.subcategory.code === latest.model.scope ? feature.properties.provenance.subcategory.name : latest.model.scope}模型` : '默认模型'
      const s = assessmentSummary(latest, scope)
      box.dataset.state = 'assessed'
      box.dataset.level = s.level
      const head = el('div', 'atlas-risk__head')
      head.append(chip(s.level, 'popup-risk-level'), el('span', 'atlas-risk__method', s.method))
      const when = el('div', 'atlas-popup__muted', `${formatDateTime(s.assessedAt)} 评估${s.assessor ? ` · ${s.assessor}` : ''}`)
      when.dataset.testid = 'popup-risk-when'
      const parts: HTMLElement[] = [title(), head, when]
      if (s.override) {
        const o = el('div', 'atlas-risk__override')
        o.dataset.testid = 'popup-risk-override'
        o.append(el('div', 'atlas-risk__reason', s.override.text), el('div', 'atlas-popup__muted', s.override.computed))
        parts.push(o)
      }
      if (s.alarm) parts.push(el('div', 'atlas-risk__alarm', s.alarm))
      if (s.why) parts.push(whyOf(s.why))
      if (s.stale) parts.push(el('div', 'atlas-popup__muted', '评估所用的模型版本已无法重新计算这次评估，请重新评估。'))
      parts.push(details())
      box.replaceChildren(...parts)
    } catch (e) {
      if (disposed) return
      box.dataset.state = 'error'
      const failed = el('div', 'atlas-risk__error')
      failed.setAttribute('role', 'alert')
      const retry = el('button', 'atlas-risk__retry', '重试')
      retry.type = 'button'
      retry.dataset.action = 'risk-retry'
      retry.addEventListener('click', () => void load())
      failed.append(el('strong', undefined, '评估加载失败'), el('span', 'atlas-risk__error-text', riskProblem(e).text), retry)
      box.replaceChildren(title(), failed, details())
    }
  }
  void load()

  return () => {
    disposed = true
    controller?.abort()
  }
}

function whyOf(why: AssessmentWhy): HTMLElement {
  if (why.kind === 'matrix') {
    const box = el('div', 'atlas-risk__why')
    box.append(el('div', 'atlas-risk__cell', `${why.cell} = ${why.score}`))
    const grid = el('table', 'atlas-matrix')
    grid.dataset.testid = 'popup-risk-matrix'
    const body = el('tbody')
    for (const r of why.rows) {
      const tr = el('tr')
      const th = el('th', 'atlas-matrix__row', `${r.likelihood} ${r.label}`)
      th.scope = 'row'
      th.title = `可能性 ${r.likelihood}：${r.label}`
      tr.append(th)
      for (const c of r.cells) {
        const td = el('td', c.assessed ? 'atlas-matrix__cell atlas-matrix__cell--assessed' : 'atlas-matrix__cell', String(r.likelihood * c.consequence))
        td.style.setProperty('--risk', riskLevelColor(c.level))
        td.dataset.l = String(r.likelihood)
        td.dataset.c = String(c.consequence)
        td.dataset.level = c.level
        if (c.assessed) td.dataset.assessed = 'true'
        td.title = `可能性 ${r.likelihood} × 后果 ${c.consequence}：${riskLevelLabel(c.level)}`
        tr.append(td)
      }
      body.append(tr)
    }
    const foot = el('tfoot')
    const heads = el('tr')
    heads.append(el('th', 'atlas-matrix__axis', 'L ↑ C →'))
    for (const col of why.columns) {
      const th = el('th', 'atlas-matrix__col', `${col.score} ${col.label}`)
      th.scope = 'col'
      th.title = `后果 ${col.score}：${col.label}`
      heads.append(th)
    }
    foot.append(heads)
    grid.append(body, foot)
    box.append(grid)
    return box
  }
  if (why.kind === 'lec') {
    const box = el('div', 'atlas-risk__why')
    box.dataset.testid = 'popup-risk-lec'
    const figures = el('dl', 'atlas-lec')
    for (const f of why.figures) {
      const dt = el('dt', undefined, `${f.key} ${f.value}`)
      dt.title = f.name
      const dd = el('dd', undefined, f.text || '—')
      figures.append(dt, dd)
    }
    const d = el('div', 'atlas-risk__cell', `D = ${why.figures.map((f) => f.value).join(' × ')} = ${why.d}`)
    d.dataset.testid = 'popup-risk-d'
    box.append(figures, d)
    if (why.band) {
      const band = el('div', 'atlas-risk__band')
      band.style.setProperty('--risk', riskLevelColor(why.band.level))
      band.append(el('span', 'atlas-risk__swatch'), el('span', undefined, `${why.band.label}（${why.band.range}）`))
      box.append(band)
    }
    return box
  }
  const box = el('div', 'atlas-risk__why')
  box.dataset.testid = 'popup-risk-indicators'
  for (const a of why.axes) {
    const row = el('div', 'atlas-indicator')
    row.dataset.axis = a.axis
    row.append(el('span', 'atlas-indicator__label', `${a.label}得分`))
    const bar = el('span', 'atlas-indicator__bar')
    if (a.total !== null) {
      const fill = el('span', 'atlas-indicator__fill')
      fill.style.width = `${Math.max(0, Math.min(100, a.total))}%`
      bar.append(fill)
    }
    row.append(bar, el('span', 'atlas-indicator__value', a.total === null ? '—' : String(a.total)))
    box.append(row)
  }
  if (why.cell) box.append(el('div', 'atlas-risk__cell', `折算为${why.cell}`))
  return box
}
