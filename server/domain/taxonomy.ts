/**
 * The four city-safety domains of annex 1 of the Yubei 2022 survey notice, their sub-categories and
 * optional items. This is the built-in seed: the database holds the live taxonomy, which an
 * administrator may extend, so code must not assume this list is exhaustive.
 */
export interface SubcategorySeed {
  readonly code: string
  readonly name: string
  readonly items?: readonly string[]
}
export interface DomainSeed {
  readonly code: string
  readonly name: string
  readonly shortName: string
  /** What kind of data the notice asks for in this domain. */
  readonly dataScope: string
  readonly subcategories: readonly SubcategorySeed[]
}

export const DOMAINS = [
  {
    code: 'lifeline',
    name: '城市生命线工程安全',
    shortName: '城市生命线',
    dataScope: '基础数据和运行监测数据',
    subcategories: [
      { code: 'gas', name: '燃气管网', items: ['长输管道', '城镇燃气管网', '燃气非居民用户', '燃气居民用户'] },
      { code: 'water-supply', name: '供水管网' },
      { code: 'drainage', name: '排水管网' },
      { code: 'telecom', name: '通信管网' },
      { code: 'power', name: '电力管网' },
      { code: 'utility-tunnel', name: '综合管廊' },
      { code: 'bridge', name: '桥梁' },
      { code: 'tunnel', name: '隧道' },
      { code: 'slope', name: '边坡' },
    ],
  },
  {
    code: 'public',
    name: '公共安全',
    shortName: '公共安全',
    dataScope: '基础数据和运行监测数据',
    subcategories: [
      { code: 'fire', name: '消防' },
      {
        code: 'traffic',
        name: '交通',
        items: [
          '重点车辆',
          '铁路两侧500米范围内轻飘物和硬飘物',
          '铁路安全保护区地表沉降',
          '轨道交通车站出入口、出入段线、风井等内涝风险',
          '轨道交通站内外大客流风险',
          '城市道路隧道内易涝点、有害气体浓度、温度',
          '城市道路塌陷',
        ],
      },
      { code: 'special-equipment', name: '特种设备' },
      { code: 'hazard-source', name: '危险源' },
      { code: 'building', name: '房屋建筑' },
      { code: 'crowded-place', name: '人员密集场所' },
    ],
  },
  {
    code: 'production',
    name: '生产安全',
    shortName: '生产安全',
    dataScope: '高危行业企业基础数据和运行监测数据',
    subcategories: [
      { code: 'hazardous-chemicals', name: '危险化学品' },
      { code: 'fireworks', name: '烟花爆竹' },
      { code: 'construction', name: '建筑施工', items: ['轨道交通施工'] },
    ],
  },
  {
    code: 'natural',
    name: '自然灾害',
    shortName: '自然灾害',
    dataScope: '监测数据',
    subcategories: [
      { code: 'earthquake', name: '地震' },
      { code: 'geology', name: '地质' },
      { code: 'meteorology', name: '气象' },
      { code: 'flood-drought', name: '水旱' },
      { code: 'marine', name: '海洋' },
      { code: 'forest-fire', name: '森林草原火灾' },
    ],
  },
] as const satisfies readonly DomainSeed[]

/** 数据资源所属类别 as written on annex 3: the sub-category name followed by 安全, e.g. 燃气管网安全. */
export function categoryLabel(subcategoryName: string): string {
  return subcategoryName.endsWith('安全') ? subcategoryName : `${subcategoryName}安全`
}
