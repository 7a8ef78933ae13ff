/**
 * What an import (or an on-screen edit) would change: drafts compared with the catalog as it stands,
 * matched by department + system name + resource name + item name (width and spacing folded).
 * Pure: the plan is shown as a preview, and written only when the same plan is confirmed.
 */
import { createHash } from 'node:crypto'
import {
  BUILD_LEVELS, DATA_TYPES, DEPLOYMENTS, NETWORKS, RUN_STATUSES, SECURITY_LEVELS, SHARING_MODES, UPDATE_CYCLES, labelOf,
} from '../domain/enums.js'
import { canonicalText } from '../domain/text.js'
import type { ImportMode } from '../domain/forms.js'
import type { ItemDraft, ResourceDraft, SystemDraft } from './model.js'
import { formDate, nameKey } from './normalise.js'

export interface ExistingSystem extends Omit<SystemDraft, 'at'> { id: number; resourceCount: number; itemCount: number; featureCount: number }
export interface ExistingItem { id: number; name: string; dataType: string; length: number; sortOrder: number }
export interface ExistingResource {
  id: number
  departmentId: number
  systemId: number
  systemName: string
  name: string
  subcategoryCode: string
  provisionMode: string
  updateCycle: string
  reviewer: string
  filler: string
  phone: string
  filledAt: string | null
  items: ExistingItem[]
  featureCount: number
}

export interface FieldChange { field: string; label: string; from: string; to: string }

export interface SystemChange {
  action: 'add' | 'change' | 'remove'
  departmentId: number
  name: string
  existingId: number | null
  draft: SystemDraft | null
  fields: FieldChange[]
  /** What a removal takes with it. */
  resourceCount: number
  itemCount: number
  featureCount: number
}

export interface ItemChanges { added: ItemDraft[]; changed: { id: number; draft: ItemDraft; fields: FieldChange[] }[]; removed: ExistingItem[] }

export interface ResourceChange {
  action: 'add' | 'change' | 'remove'
  departmentId: number
  systemId: number
  systemName: string
  name: string
  existingId: number | null
  draft: ResourceDraft | null
  fields: FieldChange[]
  items: ItemChanges
  /** True when the resource's content changed (not only the footer): the change enters its update history. */
  contentChanged: boolean
  featureCount: number
}

export interface SystemsPlan { changes: SystemChange[]; unchanged: number }
export interface ResourcesPlan { changes: ResourceChange[]; unchanged: number }

const systemLabels: Record<string, string> = {
  name: '系统名称', buildLevel: '建设方式', builder: '建设单位', operator: '管理单位', deployment: '系统部署位置',
  runStatus: '运行状态', securityLevel: '等级级别', sharesData: '已对外提供数据', sharingModes: '提供数据方式',
  networks: '网络类型', reviewer: '审核人', filler: '填报人', phone: '联系电话', filledAt: '填报时间',
}

/** Labels of a multi-choice value in the enumeration's order: a set, not a sequence. */
export function inOrder(entries: readonly { code: string; label: string }[], codes: readonly string[]): string[] {
  return entries.filter((e) => codes.includes(e.code)).map((e) => e.label)
}

function systemTexts(s: Omit<SystemDraft, 'at' | 'departmentId'>): Record<string, string> {
  return {
    name: s.name,
    buildLevel: labelOf(BUILD_LEVELS, s.buildLevel),
    builder: s.builder,
    operator: s.operator,
    deployment: labelOf(DEPLOYMENTS, s.deployment),
    runStatus: labelOf(RUN_STATUSES, s.runStatus),
    securityLevel: labelOf(SECURITY_LEVELS, s.securityLevel),
    sharesData: s.sharesData ? '是' : '否',
    sharingModes: inOrder(SHARING_MODES, s.sharingModes).join('、'),
    networks: inOrder(NETWORKS, s.networks).join('、'),
    reviewer: s.reviewer,
    filler: s.filler,
    phone: s.phone,
    filledAt: formDate(s.filledAt),
  }
}

/** Fields whose text differs; text kept before it was canonical (odd spaces) is compared in that form. */
function diff(labels: Record<string, string>, before: Record<string, string>, after: Record<string, string>): FieldChange[] {
  return Object.keys(labels)
    .filter((k) => canonicalText(before[k] ?? '') !== canonicalText(after[k] ?? ''))
    .map((k) => ({ field: k, label: labels[k]!, from: before[k] ?? '', to: after[k] ?? '' }))
}

/**
 * A form whose footer (审核人 / 填报人 / 联系电话 / 填报时间) is left blank does not erase what the
 * catalog has: people often leave it empty when correcting a form.
 */
function keepFooter<T extends { reviewer: string; filler: string; phone: string; filledAt: string | null }>(draft: T, existing: { reviewer: string; filler: string; phone: string; filledAt: string | null }): T {
  return {
    ...draft,
    reviewer: draft.reviewer || existing.reviewer,
    filler: draft.filler || existing.filler,
    phone: draft.phone || existing.phone,
    filledAt: draft.filledAt ?? existing.filledAt,
  }
}

/**
 * Systems plan. `removeMissing`: the drafts are a department's whole annex 2, so its systems that are
 * not in them are removed (an on-screen edit passes false).
 */
export function planSystems(drafts: readonly SystemDraft[], existing: readonly ExistingSystem[], departmentIds: readonly number[], removeMissing: boolean): SystemsPlan {
  const changes: SystemChange[] = []
  let unchanged = 0
  const byKey = new Map(existing.map((s) => [`${s.departmentId}\u0000${nameKey(s.name)}`, s]))
  const matched = new Set<number>()
  for (const draft of drafts) {
    const e = byKey.get(`${draft.departmentId}\u0000${nameKey(draft.name)}`)
    const d = e ? keepFooter(draft, e) : draft
    if (!e) {
      changes.push({ action: 'add', departmentId: d.departmentId, name: d.name, existingId: null, draft: d, fields: [], resourceCount: 0, itemCount: 0, featureCount: 0 })
      continue
    }
    matched.add(e.id)
    const fields = diff(systemLabels, systemTexts(e), systemTexts(d))
    if (fields.length === 0) unchanged++
    else changes.push({ action: 'change', departmentId: d.departmentId, name: d.name, existingId: e.id, draft: d, fields, resourceCount: e.resourceCount, itemCount: e.itemCount, featureCount: e.featureCount })
  }
  if (removeMissing) {
    for (const e of existing) {
      if (matched.has(e.id) || !departmentIds.includes(e.departmentId)) continue
      changes.push({ action: 'remove', departmentId: e.departmentId, name: e.name, existingId: e.id, draft: null, fields: [], resourceCount: e.resourceCount, itemCount: e.itemCount, featureCount: e.featureCount })
    }
  }
  return { changes, unchanged }
}

const resourceLabels: Record<string, string> = {
  name: '数据资源名称', category: '数据资源所属类别', provisionMode: '数据提供方式', updateCycle: '更新周期',
}
const footerLabels: Record<string, string> = { reviewer: '审核人', filler: '填报人', phone: '联系电话', filledAt: '填报时间' }

function resourceTexts(r: { name: string; subcategoryCode: string; provisionMode: string; updateCycle: string }, categoryName: (code: string) => string) {
  return {
    name: r.name,
    category: categoryName(r.subcategoryCode),
    provisionMode: labelOf(SHARING_MODES, r.provisionMode),
    updateCycle: labelOf(UPDATE_CYCLES, r.updateCycle),
  }
}
const footerTexts = (r: { reviewer: string; filler: string; phone: string; filledAt: string | null }) =>
  ({ reviewer: r.reviewer, filler: r.filler, phone: r.phone, filledAt: formDate(r.filledAt) })

function planItems(drafts: readonly ItemDraft[], existing: readonly ExistingItem[]): ItemChanges {
  const byKey = new Map(existing.map((i) => [nameKey(i.name), i]))
  const out: ItemChanges = { added: [], changed: [], removed: [] }
  const seen = new Set<number>()
  for (const d of drafts) {
    const e = byKey.get(nameKey(d.name))
    if (!e) { out.added.push(d); continue }
    seen.add(e.id)
    const fields = diff(
      { name: '数据项名称', dataType: '数据类型', length: '数据长度' },
      { name: e.name, dataType: labelOf(DATA_TYPES, e.dataType), length: String(e.length) },
      { name: d.name, dataType: labelOf(DATA_TYPES, d.dataType), length: String(d.length) },
    )
    if (fields.length > 0) out.changed.push({ id: e.id, draft: d, fields })
  }
  for (const e of existing) if (!seen.has(e.id)) out.removed.push(e)
  return out
}

/** The change from an existing resource to a draft of it, or null when nothing differs. */
export function resourceChange(e: ExistingResource, d: ResourceDraft, categoryName: (code: string) => string): ResourceChange | null {
  const content = diff(resourceLabels, resourceTexts(e, categoryName), resourceTexts(d, categoryName))
  if (e.systemId !== d.systemId) content.push({ field: 'system', label: '所属业务系统', from: e.systemName, to: d.systemName })
  const footer = diff(footerLabels, footerTexts(e), footerTexts(d))
  const items = planItems(d.items, e.items)
  const itemsChanged = items.added.length + items.changed.length + items.removed.length > 0
  const extrasChanged = d.extras !== undefined
  if (content.length === 0 && footer.length === 0 && !itemsChanged && !extrasChanged) return null
  return {
    action: 'change', departmentId: d.departmentId, systemId: d.systemId, systemName: d.systemName, name: d.name, existingId: e.id, draft: d,
    fields: [...content, ...footer], items, contentChanged: content.length > 0 || itemsChanged, featureCount: e.featureCount,
  }
}

/**
 * Resources plan. `scope`: the existing resources the drafts stand for as a whole — every resource
 * of the departments' district-built systems for an import, one resource for an on-screen edit.
 */
export function planResources(
  drafts: readonly ResourceDraft[],
  existing: readonly ExistingResource[],
  categoryName: (code: string) => string,
  removeMissing: boolean,
): ResourcesPlan {
  const changes: ResourceChange[] = []
  let unchanged = 0
  const byKey = new Map(existing.map((r) => [`${r.systemId}\u0000${nameKey(r.name)}`, r]))
  const matched = new Set<number>()
  for (const draft of drafts) {
    const e = byKey.get(`${draft.systemId}\u0000${nameKey(draft.name)}`)
    const d = e ? keepFooter(draft, e) : draft
    if (!e) {
      changes.push({
        action: 'add', departmentId: d.departmentId, systemId: d.systemId, systemName: d.systemName, name: d.name, existingId: null, draft: d,
        fields: [], items: { added: d.items, changed: [], removed: [] }, contentChanged: true, featureCount: 0,
      })
      continue
    }
    matched.add(e.id)
    const change = resourceChange(e, d, categoryName)
    if (change) changes.push(change)
    else unchanged++
  }
  if (removeMissing) {
    for (const e of existing) {
      if (matched.has(e.id)) continue
      changes.push({
        action: 'remove', departmentId: e.departmentId, systemId: e.systemId, systemName: e.systemName, name: e.name, existingId: e.id, draft: null,
        fields: [], items: { added: [], changed: [], removed: e.items }, contentChanged: true, featureCount: e.featureCount,
      })
    }
  }
  return { changes, unchanged }
}

/**
 * A fingerprint of a plan: confirming an import checks that the catalog still yields the same plan.
 * An import's mode is part of it, so a preview made in one mode cannot confirm an import in the other
 * (a replace plan that happens to remove nothing would otherwise match a merge plan).
 */
export function planHash(plan: SystemsPlan | ResourcesPlan, mode: ImportMode): string {
  const strip = (c: SystemChange | ResourceChange) => ({
    a: c.action, d: c.departmentId, n: c.name, e: c.existingId, f: c.fields,
    i: 'items' in c ? { a: c.items.added.map((x) => [x.name, x.dataType, x.length]), c: c.items.changed.map((x) => x.fields), r: c.items.removed.map((x) => x.id) } : null,
  })
  return createHash('sha256').update(JSON.stringify({ mode, changes: plan.changes.map(strip) })).digest('hex').slice(0, 32)
}
