import { FEATURE_KINDS, FRESHNESS_STATUSES, RISK_INDICATORS, RISK_LEVELS, UPDATE_CYCLES, labelOf } from '../../server/domain/enums.js'
import type { FeatureDetail } from '../api/geojson.js'
import { RISK_COLORS } from './map-theme.js'
import { formatDateTime } from '../lib/format.js'

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

/**
 * The click popup: name, kind, risk level, indicator breakdown and provenance
 * (department → system → resource, update cycle, freshness). Links navigate inside the app. The live
 * parts — a monitoring point's sensors, a risk point's assessment — are added by their own modules.
 */
export function buildFeaturePopup(feature: FeatureDetail, navigate: (path: string) => void): HTMLElement {
  const p = feature.properties
  const root = el('div', 'atlas-popup')
  root.dataset.featureId = String(p.id)

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

  const facts = el('dl', 'atlas-popup__facts')
  const fact = (label: string, value: string) => {
    facts.append(el('dt', undefined, label), el('dd', undefined, value))
  }
  if (p.impactRadiusM) fact('影响范围', `${Math.round(p.impactRadiusM)} 米`)
  if (p.capacity != null) fact('容量', String(p.capacity))
  for (const [k, v] of Object.entries(p.attributes ?? {}).slice(0, 4)) if (v !== null && v !== '') fact(k, String(v))
  if (facts.childElementCount) root.append(facts)

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
    root.append(box)
  }

  const prov = feature.properties.provenance
  if (prov) {
    const box = el('div', 'atlas-popup__provenance')
    box.append(el('div', 'atlas-popup__section', '数据来源'))
    const chain = el('div', 'atlas-popup__chain')
    const link = (text: string, path: string) => {
      const a = el('a', 'atlas-popup__link', text)
      a.href = path
      a.addEventListener('click', (e) => {
        e.preventDefault()
        navigate(path)
      })
      return a
    }
    const dept = `/departments/${prov.department.id}`
    const sys = `${dept}/systems/${prov.system.id}`
    const res = `${sys}/resources/${prov.resource.id}`
    chain.append(link(prov.department.name, dept), el('span', 'atlas-popup__arrow', '→'), link(prov.system.name, sys), el('span', 'atlas-popup__arrow', '→'), link(prov.resource.name, res))
    box.append(chain)
    const meta = el('dl', 'atlas-popup__facts')
    meta.append(el('dt', undefined, '类别'), el('dd', undefined, `${prov.domain.name} / ${prov.resource.category || prov.subcategory.name}`))
    meta.append(el('dt', undefined, '更新周期'), el('dd', undefined, labelOf(UPDATE_CYCLES, prov.resource.updateCycle)))
    const fresh = el('dd', `atlas-fresh atlas-fresh--${prov.freshness.status}`, labelOf(FRESHNESS_STATUSES, prov.freshness.status))
    meta.append(el('dt', undefined, '新鲜度'), fresh)
    meta.append(el('dt', undefined, '最近更新'), el('dd', undefined, prov.freshness.lastUpdatedAt ? formatDateTime(prov.freshness.lastUpdatedAt) : '从未更新'))
    box.append(meta)
    root.append(box)
  }
  return root
}
