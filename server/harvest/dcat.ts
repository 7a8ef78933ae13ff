import { createHash } from 'node:crypto'
import type { FederatedDepartment, FederatedResource, FederatedSystem, FederatedUpdate } from '../domain/federation.js'
import type { UpdateCycle, Sensitivity } from '../domain/enums.js'
import { applyCatalog, applyUpdates, catalogDeletions, heldCatalog, heldCounts, resourceIdsOf } from './apply.js'
import { guardTrips, type JobInput, type JobResult } from './atlas.js'
import { SourceClient, SourceError } from './client.js'

/**
 * Harvesting a DCAT catalog in JSON-LD — as CKAN's ckanext-dcat writes it (`@graph`, prefixed or full
 * IRIs, hydra paging) or as this product's own /api/catalog.jsonld does (`dcat:dataset` inline): each
 * dcat:Dataset becomes a data resource of the source, under its publisher as a department, with its
 * update frequency, access rights and last modification as an update record. Keys are read by IRI
 * whatever prefix the document's context gives them, so no JSON-LD processor is needed.
 */

const NS: Record<string, string> = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  dcterms: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
}
const DCAT = NS.dcat!, DCT = NS.dct!, FOAF = NS.foaf!, SKOS = NS.skos!, HYDRA = NS.hydra!

const MAX_PAGES = 200
const MAX_DATASETS = 50_000

type Node = Record<string, unknown>

/** A JSON-LD document's keys expanded to IRIs by its context's prefixes (and the usual ones). */
class Expander {
  private readonly prefixes: Record<string, string>
  constructor(context: unknown) {
    this.prefixes = { ...NS }
    const contexts = Array.isArray(context) ? context : [context]
    for (const c of contexts) {
      if (c && typeof c === 'object') {
        for (const [k, v] of Object.entries(c as Record<string, unknown>)) if (typeof v === 'string') this.prefixes[k] = v
      }
    }
  }

  iri(term: string): string {
    const i = term.indexOf(':')
    if (i > 0 && !term.startsWith('http')) {
      const base = this.prefixes[term.slice(0, i)]
      if (base) return base + term.slice(i + 1)
    }
    return this.prefixes[term] && !term.includes(':') ? this.prefixes[term]! : term
  }

  /** The values of a property of a node (any spelling of its IRI), as a list. */
  values(node: Node, iri: string): unknown[] {
    for (const [k, v] of Object.entries(node)) if (this.iri(k) === iri) return Array.isArray(v) ? v : [v]
    return []
  }

  types(node: Node): string[] {
    const t = node['@type'] ?? node.type
    return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string').map((x) => this.iri(x))
  }
}

/** The text of a literal: a string, or a {@value} (Chinese preferred when several languages are given). */
function textOf(values: unknown[]): string {
  let first = ''
  for (const v of values) {
    const s = typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as Node)['@value'] === 'string' ? (v as Node)['@value'] as string : ''
    const lang = v && typeof v === 'object' ? String((v as Node)['@language'] ?? '') : ''
    if (s && lang.startsWith('zh')) return s
    if (s && !first) first = s
  }
  return first
}

const idOf = (v: unknown) => (typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as Node)['@id'] === 'string' ? (v as Node)['@id'] as string : '')

/** A stable positive id for a text key (JSON-LD identifiers are IRIs; the city keys records by number). */
function numericId(key: string): number {
  return createHash('sha256').update(key).digest().readUIntBE(0, 6) || 1
}

const FREQUENCIES: [RegExp, UpdateCycle][] = [
  [/continuous|realtime|UPDATE_CONT/i, 'realtime'], [/daily|DAILY/i, 'daily'], [/weekly|WEEKLY/i, 'weekly'], [/monthly|MONTHLY/i, 'monthly'],
  [/quarterly|QUARTERLY/i, 'quarterly'], [/semiannual|ANNUAL_2/i, 'half-yearly'], [/annual|ANNUAL/i, 'yearly'], [/irreg|IRREG/i, 'irregular'],
]
const ACCESS: [RegExp, Sensitivity][] = [[/NON_PUBLIC/, 'restricted'], [/RESTRICTED/, 'internal'], [/PUBLIC/, 'public']]

export interface DcatDataset {
  key: string
  title: string
  publisher: string
  modified: string | null
  cycle: UpdateCycle
  sensitivity: Sensitivity
  /** The annex-1 sub-category its themes or keywords name, if any. */
  subcategory: string | null
}

/** The datasets of one JSON-LD page and the link to the next page, if any. */
export function readDcatPage(doc: unknown, subcategories: Map<string, string>): { datasets: DcatDataset[]; next: string | null; total: number | null } {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new SourceError('DCAT 文档不是 JSON-LD 对象')
  const root = doc as Node
  const x = new Expander(root['@context'])
  const nodes: Node[] = []
  const seen = new Set<Node>()
  const collect = (v: unknown, depth: number) => {
    if (depth > 8 || !v || typeof v !== 'object') return
    if (Array.isArray(v)) {
      for (const e of v) collect(e, depth + 1)
      return
    }
    if (seen.has(v as Node)) return
    seen.add(v as Node)
    nodes.push(v as Node)
    for (const [k, e] of Object.entries(v as Node)) if (k !== '@context') collect(e, depth + 1)
  }
  collect(root, 0)
  const byId = new Map<string, Node>()
  for (const n of nodes) if (typeof n['@id'] === 'string' && Object.keys(n).length > 1) byId.set(n['@id'] as string, n)
  const deref = (v: unknown): Node | null => {
    if (!v || typeof v !== 'object') return typeof v === 'string' ? byId.get(v) ?? null : null
    const id = idOf(v)
    return Object.keys(v as Node).length > 1 ? (v as Node) : id ? byId.get(id) ?? (v as Node) : (v as Node)
  }
  const datasets: DcatDataset[] = []
  const keys = new Set<string>()
  for (const n of nodes) {
    if (!x.types(n).includes(`${DCAT}Dataset`)) continue
    const key = idOf(n) || textOf(x.values(n, `${DCT}identifier`))
    const title = textOf(x.values(n, `${DCT}title`))
    if (!key || !title || keys.has(key)) continue
    keys.add(key)
    const publisherNode = deref(x.values(n, `${DCT}publisher`)[0])
    const publisher = (publisherNode && (textOf(x.values(publisherNode, `${FOAF}name`)) || textOf(x.values(publisherNode, `${SKOS}prefLabel`)) || idOf(publisherNode))) || ''
    const modified = textOf(x.values(n, `${DCT}modified`)) || null
    const frequency = idOf(x.values(n, `${DCT}accrualPeriodicity`)[0]) || textOf(x.values(n, `${DCT}accrualPeriodicity`))
    const access = idOf(x.values(n, `${DCT}accessRights`)[0]) || textOf(x.values(n, `${DCT}accessRights`))
    const labels: string[] = []
    for (const t of x.values(n, `${DCAT}theme`)) {
      const id = idOf(t)
      const m = /#subcategory-([A-Za-z0-9_-]+)$/.exec(id)
      if (m && subcategories.has(m[1]!)) labels.unshift(`code:${m[1]}`)
      const node = deref(t)
      if (node) labels.push(textOf(x.values(node, `${SKOS}prefLabel`)))
      if (typeof t === 'string') labels.push(t)
    }
    for (const k of x.values(n, `${DCAT}keyword`)) labels.push(textOf([k]))
    // A theme naming a sub-category's code or name decides; else the first sub-category named in a theme, keyword or the title.
    let subcategory: string | null = labels.find((l) => l.startsWith('code:'))?.slice(5) ?? null
    for (const text of [...labels, title]) {
      if (subcategory || !text) break
      for (const [code, name] of subcategories) {
        if (text === name || text === code || text.includes(name)) {
          subcategory = code
          break
        }
      }
    }
    datasets.push({
      key, title: title.slice(0, 200), publisher: publisher.slice(0, 90), modified: modified && !Number.isNaN(Date.parse(modified)) ? new Date(modified).toISOString() : null,
      cycle: FREQUENCIES.find(([re]) => re.test(frequency))?.[1] ?? 'irregular',
      sensitivity: ACCESS.find(([re]) => re.test(access))?.[1] ?? 'public',
      subcategory,
    })
  }
  let next: string | null = null
  let total: number | null = null
  for (const n of nodes) {
    const link = idOf(x.values(n, `${HYDRA}next`)[0]) || idOf(x.values(n, `${HYDRA}nextPage`)[0]) || textOf(x.values(n, `${HYDRA}nextPage`))
    if (link && !next) next = link
    const t = Number(textOf(x.values(n, `${HYDRA}totalItems`)) || (x.values(n, `${HYDRA}totalItems`)[0] as number))
    if (Number.isSafeInteger(t) && total === null) total = t
  }
  return { datasets, next, total }
}

/** One job over a DCAT source: all its pages read first, then the guard, then the catalog in one transaction. */
export async function harvestDcat(input: JobInput): Promise<JobResult> {
  const { db, source, report } = input
  const client = new SourceClient(source.url, { token: source.token, maxBytes: 32 * 1024 * 1024 })
  const subcategories = new Map((await db.kysely.selectFrom('subcategories').select(['code', 'name']).execute()).map((s) => [s.code, s.name]))
  const datasets: DcatDataset[] = []
  let total: number | null = null
  try {
    let url: string | null = source.url
    const visited = new Set<string>()
    for (let page = 0; url; page++) {
      // A catalog larger than this is refused whole: stopping part-way would read as deletions.
      if (page >= MAX_PAGES || datasets.length > MAX_DATASETS) {
        throw new SourceError(`目录超过 ${MAX_PAGES} 页或 ${MAX_DATASETS} 个数据集，未汇聚；请按主题或发布部门拆分为多个来源`)
      }
      const target = new URL(url, source.url)
      if (target.origin !== new URL(source.url).origin) throw new SourceError(`下一页链接 ${target.origin} 不在来源的站点上，已停止`)
      if (visited.has(target.href)) break
      visited.add(target.href)
      const read = readDcatPage(await client.json<unknown>(target.href), subcategories)
      datasets.push(...read.datasets)
      total ??= read.total
      url = read.next
    }
  } finally {
    report.report.bytes = client.bytes
    report.report.requests = client.requests
  }
  return applyDcat(input, datasets, total)
}

async function applyDcat(input: JobInput, datasets: DcatDataset[], total: number | null): Promise<JobResult> {
  const { db, source, report } = input
  const now = input.now().toISOString()
  const departments = new Map<string, FederatedDepartment>()
  const systems = new Map<string, FederatedSystem>()
  const resources: FederatedResource[] = []
  const updates: FederatedUpdate[] = []
  const seen = new Set<number>()
  for (const d of datasets) {
    const subcategory = d.subcategory ?? source.defaultSubcategory
    if (!subcategory || !input.subcategories.has(subcategory)) {
      report.error({ kind: 'resources', remoteId: d.key, name: d.title, message: '数据集的主题和关键词对应不到附件 1 的子类，来源也没有设定默认子类' })
      continue
    }
    const publisher = d.publisher || source.name
    const departmentId = numericId(`department:${publisher}`)
    if (!departments.has(publisher)) {
      departments.set(publisher, { id: departmentId, name: publisher, shortName: publisher.slice(0, 20), sortOrder: departments.size, reporting: null })
      systems.set(publisher, {
        id: numericId(`system:${publisher}`), departmentId, name: `${source.name}（DCAT 目录）`, buildLevel: 'municipal', builder: '', operator: publisher,
        deployment: 'other', runStatus: 'maintained', securityLevel: 'unrated', sharesData: true, sharingModes: ['api'], networks: ['internet'],
        reviewer: '', filler: '', phone: '', filledAt: null, createdAt: now, updatedAt: d.modified ?? now,
      })
    }
    const id = numericId(`dataset:${d.key}`)
    if (seen.has(id)) continue
    seen.add(id)
    resources.push({
      id, systemId: systems.get(publisher)!.id, departmentId, subcategoryCode: subcategory, name: d.title, provisionMode: 'api', updateCycle: d.cycle,
      subjectClass: 'thing', purpose: 'basic', sharingAttribute: d.sensitivity === 'public' ? 'unconditional' : 'conditional', sensitivity: d.sensitivity,
      reviewer: '', filler: '', phone: '', filledAt: null, createdAt: d.modified ?? now, updatedAt: d.modified ?? now, items: [],
    })
    if (d.modified) updates.push({ id: numericId(`update:${d.key}:${d.modified}`), resourceId: id, updatedAt: d.modified, recordCount: 0, source: 'sync', note: 'DCAT dct:modified' })
  }
  // Several datasets of one publisher may share a title: the city keeps one name per system.
  const names = new Set<string>()
  for (const r of resources) {
    let name = r.name
    for (let n = 2; names.has(`${r.systemId}|${name}`); n++) name = `${r.name}（${n}）`
    names.add(`${r.systemId}|${name}`)
    r.name = name
  }
  const incoming = { departments: [...departments.values()], systems: [...systems.values()], resources }
  const held = await heldCatalog(db, source.id)
  const guard = guardTrips(catalogDeletions(held, incoming), source.deleteThreshold, input.confirmed)
  if (guard) return { outcome: 'guarded', planned: guard }
  await applyCatalog(db, { sourceId: source.id, sourceLabel: source.name, districtCode: null, subcategories: input.subcategories, now }, held, incoming, report)
  await applyUpdates(db, source.id, await resourceIdsOf(db, source.id), updates, report)
  const counts = await heldCounts(db, source.id)
  for (const kind of ['departments', 'systems', 'resources', 'updates'] as const) {
    const t = report.tally(kind)
    t.harvested = counts[kind]
    if (kind === 'updates') t.unchanged = Math.max(0, counts.updates - t.added)
  }
  const rt = report.tally('resources')
  rt.source = total ?? datasets.length
  if (rt.source !== rt.harvested) {
    report.error({ kind: 'resources', remoteId: null, name: '', message: `数量不一致：目录${total !== null ? '声明' : '列出'} ${rt.source} 个数据集，市级汇聚到 ${rt.harvested} 个` })
  }
  return { outcome: 'done', state: {}, district: null }
}
