import { FEATURE_KINDS, FRESHNESS_STATUSES, RISK_INDICATORS, RISK_LEVELS, UPDATE_CYCLES, labelOf } from '../../server/domain/enums.js'
import type { FeatureDetail } from '../api/geojson.js'
import { RISK_COLORS } from './map-theme.js'
import { formatDateTime } from '../lib/format.js'
import { featurePagePath } from '../lib/feature-crumbs.js'

/** Builds DOM with textContent only: feature names and every other string come from users. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

/** The hover label: just the name. */
export function buildHoverLabel(name: string): HTMLElement {
  return el('div', 'atlas-hover-label', name)
}

/** The part of a popup where its live sections (a monitoring point's sensors, a risk point's assessment) go. */
export function liveSlot(root: HTMLElement): HTMLElement {
  return root.querySelector<HTMLElement>('.atlas-popup__live') ?? root
}

/**
 * The click popup, in the order a reader checks it: the name, kind and level; where the data comes
 * from and how fresh it is; the live part (a monitoring point's sensors, a risk point's assessment,
 * added by their own modules into the live slot); then the details (attributes, indicator scores)
 * folded away; and a link to the feature's own page. Links navigate inside the app.
 */
export function buildFeaturePopup(feature: FeatureDetail, navigate: (path: string) => void): HTMLElement {
  const p = feature.properties
  const root = el('div', 'atlas-popup')
  root.dataset.featureId = String(p.id)
  const link = (text: string, path: string, className = 'atlas-popup__link') => {
    const a = el('a', className, text)
    a.href = path
    a.addEventListener('click', (e) => {
      e.preventDefault()
      navigate(path)
    })
    return a
  }

  const head = el('div', 'atlas-popup__head')
  head.append(el('div', 'atlas-popup__name', p.name))
  const tags = el('div', 'atlas-popup__tags')
  tags.append(el('span', 'atlas-tag', labelOf(FEATURE_KINDS, p.kind)))
  if (p.riskLevel) {
    const risk = el('span', 'atlas-tag atlas-tag--risk', labelOf(RISK_LEVELS, p.riskLevel))
    risk.style.setProperty('--risk', RISK_COLORS[p.riskLevel])
    tags.append(risk)
  }
  head.append(tags)
  root.append(head)

  const prov = feature.properties.provenance
  if (prov) {
    const box = el('div', 'atlas-popup__provenance')
    box.dataset.testid = 'popup-provenance'
    box.append(el('div', 'atlas-popup__section', '数据来源'))
    const chain = el('div', 'atlas-popup__chain')
    const dept = `/departments/${prov.department.id}`
    const sys = `${dept}/systems/${prov.system.id}`
    const res = `${sys}/resources/${prov.resource.id}`
    chain.append(link(prov.department.name, dept), el('span', 'atlas-popup__arrow', '→'), link(prov.system.name, sys), el('span', 'atlas-popup__arrow', '→'), link(prov.resource.name, res))
    box.append(chain)
    // Freshness in one line: its status first (coloured), then when, then how often.
    const fresh = el('div', 'atlas-popup__fresh')
    fresh.append(
      el('span', `atlas-fresh atlas-fresh--${prov.freshness.status}`, labelOf(FRESHNESS_STATUSES, prov.freshness.status)),
      el('span', undefined, prov.freshness.lastUpdatedAt ? `最近更新 ${formatDateTime(prov.freshness.lastUpdatedAt)}` : '从未更新'),
      el('span', 'atlas-popup__muted', labelOf(UPDATE_CYCLES, prov.resource.updateCycle)),
    )
    box.append(fresh)
    root.append(box)
  }

  root.append(el('div', 'atlas-popup__live'))

  const more = el('details', 'atlas-popup__more')
  const facts = el('dl', 'atlas-popup__facts')
  const fact = (label: string, value: string) => {
    facts.append(el('dt', undefined, label), el('dd', undefined, value))
  }
  if (prov) fact('类别', `${prov.domain.name} / ${prov.resource.category || prov.subcategory.name}`)
  if (p.impactRadiusM) fact('影响范围', `${Math.round(p.impactRadiusM)} 米`)
  if (p.capacity != null) fact('容量', String(p.capacity))
  const attributes = Object.entries(p.attributes ?? {}).filter(([, v]) => v !== null && v !== '')
  for (const [k, v] of attributes.slice(0, 8)) fact(k, String(v))
  if (facts.childElementCount) more.append(facts)
  if (attributes.length > 8) more.append(el('div', 'atlas-popup__muted', `另有 ${attributes.length - 8} 项属性，见详情页`))

  const indicators = Object.entries(p.indicators ?? {}).filter(([, v]) => typeof v === 'number') as [string, number][]
  if (indicators.length) {
    const box = el('div', 'atlas-popup__indicators')
    box.append(el('div', 'atlas-popup__section', '风险指标'))
    for (const [code, score] of indicators.sort((a, b) => b[1] - a[1])) {
      const row = el('div', 'atlas-indicator')
      row.append(el('span', 'atlas-indicator__label', labelOf(RISK_INDICATORS, code)))
      const bar = el('span', 'atlas-indicator__bar')
      const fill = el('span', 'atlas-indicator__fill')
      fill.style.width = `${Math.max(0, Math.min(100, score))}%`
      if (p.riskLevel) fill.style.background = RISK_COLORS[p.riskLevel]
      bar.append(fill)
      row.append(bar, el('span', 'atlas-indicator__value', String(Math.round(score))))
      box.append(row)
    }
    more.append(box)
  }
  if (more.childElementCount) {
    const count = facts.childElementCount / 2 + (indicators.length ? indicators.length : 0)
    more.prepend(el('summary', 'atlas-popup__summary', `详细信息（${count} 项）`))
    root.append(more)
  }

  const foot = el('div', 'atlas-popup__foot')
  const page = link('查看详情 →', featurePagePath(p.kind, p.id), 'atlas-popup__link atlas-popup__page')
  page.dataset.action = 'feature-page'
  foot.append(page)
  root.append(foot)
  return root
}
