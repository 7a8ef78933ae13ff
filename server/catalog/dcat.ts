import type { DataResource } from '../domain/types.js'
import { PURPOSES, SENSITIVITIES, SHARING_ATTRIBUTES, SHARING_MODES, SUBJECT_CLASSES, UPDATE_CYCLES, labelOf, type UpdateCycle } from '../domain/enums.js'

/**
 * The catalog as DCAT (W3C Data Catalog Vocabulary, version 3) in JSON-LD, for the city's open-data
 * portal to harvest: one dcat:Dataset per data resource with its publisher (the department), update
 * frequency (Dublin Core frequency vocabulary), themes (domain and sub-category), access rights (EU
 * vocabulary, from the sensitivity), spatial extent and distributions; Hydra paging for large catalogs.
 */

const FREQUENCY: Record<UpdateCycle, string | null> = {
  realtime: 'http://purl.org/cld/freq/continuous',
  daily: 'http://purl.org/cld/freq/daily',
  weekly: 'http://purl.org/cld/freq/weekly',
  monthly: 'http://purl.org/cld/freq/monthly',
  quarterly: 'http://purl.org/cld/freq/quarterly',
  'half-yearly': 'http://purl.org/cld/freq/semiannual',
  yearly: 'http://purl.org/cld/freq/annual',
  irregular: 'http://purl.org/cld/freq/irregular',
  other: null,
}

const ACCESS_RIGHTS = {
  public: 'http://publications.europa.eu/resource/authority/access-right/PUBLIC',
  internal: 'http://publications.europa.eu/resource/authority/access-right/RESTRICTED',
  restricted: 'http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC',
} as const

const DCAT_CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  locn: 'http://www.w3.org/ns/locn#',
  gsp: 'http://www.opengis.net/ont/geosparql#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const

const zh = (value: string) => ({ '@value': value, '@language': 'zh' })
const dateTime = (iso: string) => ({ '@value': iso, '@type': 'xsd:dateTime' })

export interface DcatInput {
  origin: string
  title: string
  resources: DataResource[]
  /** Feature extents of the resources that have features. */
  extents: Map<number, [number, number, number, number]>
  domains: Map<string, string>
  subcategories: Map<string, string>
  page: number
  pageSize: number
  total: number
  /** The request's path and query without `page`, for the Hydra links. */
  listPath: string
  now: Date
}

function polygonWkt([a, b, c, d]: [number, number, number, number]): string {
  return `POLYGON((${a} ${b}, ${c} ${b}, ${c} ${d}, ${a} ${d}, ${a} ${b}))`
}

/** One data resource as a dcat:Dataset. */
function datasetOf(r: DataResource, input: Pick<DcatInput, 'origin' | 'extents' | 'domains' | 'subcategories'>) {
  const { origin } = input
  const page = `${origin}/departments/${r.departmentId}/systems/${r.systemId}/resources/${r.id}`
  const domain = input.domains.get(r.domainCode) ?? r.domainCode
  const subcategory = input.subcategories.get(r.subcategoryCode) ?? r.subcategoryCode
  const extent = input.extents.get(r.id)
  const description = [
    `${r.category}数据资源，由${r.departmentName}的“${r.systemName}”提供`,
    `共 ${r.itemCount} 个数据项${r.featureCount ? `、${r.featureCount} 个空间要素` : ''}`,
    `用途：${labelOf(PURPOSES, r.purpose)}；主体分类：${labelOf(SUBJECT_CLASSES, r.subjectClass)}`,
    `提供方式：${labelOf(SHARING_MODES, r.provisionMode)}；共享属性：${labelOf(SHARING_ATTRIBUTES, r.sharingAttribute)}；更新周期：${labelOf(UPDATE_CYCLES, r.updateCycle)}`,
  ].join('。')
  const record = {
    '@type': 'dcat:Distribution',
    'dct:title': zh('目录信息（JSON）'),
    'dct:description': zh('数据资源的目录信息、数据项清单和更新记录'),
    'dcat:accessURL': { '@id': `${origin}/api/resources/${r.id}` },
    'dcat:mediaType': { '@id': 'https://www.iana.org/assignments/media-types/application/json' },
  }
  const geojson = {
    '@type': 'dcat:Distribution',
    'dct:title': zh('空间要素（GeoJSON）'),
    'dct:description': zh('按 RFC 7946 输出的空间要素，WGS84 经纬度；每页至多 10000 个，按 next 链接翻页'),
    'dcat:accessURL': { '@id': `${origin}/api/features?resource=${r.id}&limit=10000` },
    'dcat:mediaType': { '@id': 'https://www.iana.org/assignments/media-types/application/geo+json' },
    'dcat:accessService': {
      '@type': 'dcat:DataService',
      'dct:title': zh('OGC API – Features'),
      'dcat:endpointURL': { '@id': `${origin}/api/ogc` },
      'dcat:endpointDescription': { '@id': `${origin}/api/openapi.json` },
      'dct:conformsTo': { '@id': 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core' },
    },
  }
  const frequency = FREQUENCY[r.updateCycle]
  return {
    '@id': page,
    '@type': 'dcat:Dataset',
    'dct:identifier': `resource-${r.id}`,
    'dct:title': zh(r.name),
    'dct:description': zh(description),
    'dct:publisher': {
      '@id': `${origin}/departments/${r.departmentId}`,
      '@type': 'foaf:Organization',
      'foaf:name': zh(r.departmentName),
    },
    'dcat:contactPoint': { '@type': 'vcard:Organization', 'vcard:fn': zh(r.departmentName) },
    ...(frequency ? { 'dct:accrualPeriodicity': { '@id': frequency } } : {}),
    'dct:accessRights': { '@id': ACCESS_RIGHTS[r.sensitivity], 'skos:prefLabel': zh(labelOf(SENSITIVITIES, r.sensitivity)) },
    ...(r.freshness.lastUpdatedAt ? { 'dct:modified': dateTime(r.freshness.lastUpdatedAt) } : {}),
    ...(r.filledAt ? { 'dct:issued': { '@value': r.filledAt.slice(0, 10), '@type': 'xsd:date' } } : {}),
    'dcat:theme': [
      { '@id': `${origin}/api/meta#domain-${r.domainCode}`, 'skos:prefLabel': zh(domain) },
      { '@id': `${origin}/api/meta#subcategory-${r.subcategoryCode}`, 'skos:prefLabel': zh(subcategory) },
    ],
    'dcat:keyword': [...new Set([domain, subcategory, r.category, labelOf(PURPOSES, r.purpose)])].map(zh),
    'dcat:landingPage': { '@id': page },
    ...(extent ? { 'dct:spatial': { '@type': 'dct:Location', 'dcat:bbox': { '@value': polygonWkt(extent), '@type': 'gsp:wktLiteral' } } } : {}),
    'dcat:distribution': r.featureCount ? [record, geojson] : [record],
  }
}

/** The catalog page as a JSON-LD document. */
export function dcatCatalog(input: DcatInput) {
  const { origin, page, pageSize, total, listPath } = input
  const last = Math.max(1, Math.ceil(total / pageSize))
  const at = (p: number) => `${origin}${listPath}${listPath.includes('?') ? '&' : '?'}page=${p}`
  return {
    '@context': DCAT_CONTEXT,
    '@id': `${origin}/api/catalog.jsonld`,
    '@type': 'dcat:Catalog',
    'dct:title': zh(`${input.title}数据资源目录`),
    'dct:description': zh('各部门信息系统中的城市安全数据资源：城市生命线工程安全、公共安全、生产安全、自然灾害四个领域'),
    'dct:language': { '@id': 'http://publications.europa.eu/resource/authority/language/ZHO' },
    'dct:modified': dateTime(input.now.toISOString()),
    'foaf:homepage': { '@id': `${origin}/` },
    'hydra:totalItems': total,
    'hydra:view': {
      '@id': at(page),
      '@type': 'hydra:PartialCollectionView',
      'hydra:first': at(1),
      'hydra:last': at(last),
      ...(page > 1 ? { 'hydra:previous': at(Math.min(page - 1, last)) } : {}),
      ...(page < last ? { 'hydra:next': at(page + 1) } : {}),
    },
    'dcat:dataset': input.resources.map((r) => datasetOf(r, input)),
  }
}
