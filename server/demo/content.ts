/**
 * Hand-authored content of the demo catalog (示例数据) for 重庆市渝北区: the 13 departments of the
 * survey notice (渝北大数据发〔2022〕6号), their city-safety information systems (annex 2), the data
 * resources and data items of the district-built systems (annex 3) and the map features each resource
 * feeds.
 *
 * EVERYTHING HERE IS SYNTHETIC AND INVENTED. The system names, resource names, data items, people,
 * phone numbers and feature counts are made up to look plausible; they are not real government data
 * and must never be presented as such. Person names are placeholders in the 张某某 style and all
 * phone numbers are fictitious 023-6781xxxx numbers.
 *
 * The story the demo tells (the generator relies on it):
 * - 区发展改革委 reported "no systems"; 区市场监管局 has not reported, so 特种设备 is uncovered;
 * - 区经济信息委 reported late and covers 电力管网 only; 区气象局 also reported late;
 * - nobody covers 通信管网 or 海洋; every other sub-category has at least one resource;
 * - 区林业局 and 区规划自然资源局 fall behind on their update cycles (low diligence);
 * - 桥梁基础信息 is reported by both 区城市管理局 and 区交通局 (a deliberate one-source conflict).
 *
 * Pure data: no I/O, no randomness. Codes come only from server/domain/enums.ts and taxonomy.ts.
 */
import type {
  BuildLevel,
  DataType,
  Deployment,
  FeatureKind,
  Network,
  Purpose,
  RunStatus,
  SecurityLevel,
  Sensitivity,
  SharingAttribute,
  SharingMode,
  SubjectClass,
  UpdateCycle,
} from '../domain/enums.js'
import type { DataResource, InfoSystem } from '../domain/types.js'

export type DemoItem = readonly [name: string, dataType: DataType, length: number]
export interface DemoFeatureSpec {
  kind: FeatureKind
  geometry: 'Point' | 'LineString' | 'Polygon'
  /** how many features at scale 1 (the whole demo has ~20,000 features) */
  count: number
  /** name templates; the generator picks one and replaces {road} {community} {n} (e.g. '{road}燃气调压站', '{community}地灾隐患点{n}号') */
  names: readonly string[]
  /** risk-graded (red/orange/yellow/blue with a 13-indicator breakdown) — true for risk points and hazard sources, otherwise omit */
  graded?: boolean
  /** impact radius range in metres, hazard sources only */
  impactRadiusM?: readonly [number, number]
  /** capacity range (people, tonnes, beds…), emergency resources and shelters */
  capacity?: readonly [number, number]
  capacityUnit?: string
  /** extra attribute names → list of possible values the generator picks from */
  attributes?: Readonly<Record<string, readonly (string | number)[]>>
}
/** A resource of the demo city: what the catalog shows of a resource, with its items and the features to generate. */
export interface DemoResource extends Pick<DataResource, 'name' | 'subcategoryCode' | 'provisionMode' | 'updateCycle' | 'subjectClass' | 'purpose'
  | 'sharingAttribute' | 'sensitivity'> {
  items: readonly DemoItem[]
  features?: readonly DemoFeatureSpec[]
}
/** A system of the demo city: what the catalog shows of a system (server/domain/types.ts), with its resources. */
export interface DemoSystem extends Pick<InfoSystem, 'name' | 'buildLevel' | 'builder' | 'operator' | 'deployment' | 'runStatus' | 'securityLevel'
  | 'sharesData' | 'sharingModes' | 'networks'> {
  resources: readonly DemoResource[]
}
export type DemoReporting = 'on-time' | 'late' | 'no-systems' | 'not-started'
export interface DemoDepartment {
  name: string
  shortName: string
  reporting: DemoReporting
  /** 0..1, how reliably the department updates its data on its declared cycle (low = falls behind) */
  diligence: number
  reviewer: string
  filler: string
  phone: string
  systems: readonly DemoSystem[]
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

type Items = readonly DemoItem[]
type Attributes = Readonly<Record<string, readonly (string | number)[]>>

interface ResourceOptions {
  /** 数据提供方式, default 数据库 */
  mode?: SharingMode
  /** default 有条件共享 */
  share?: SharingAttribute
  /** default 内部 */
  sensitivity?: Sensitivity
  features?: readonly DemoFeatureSpec[]
}

function res(
  name: string,
  subcategoryCode: string,
  purpose: Purpose,
  subjectClass: SubjectClass,
  updateCycle: UpdateCycle,
  items: Items,
  o: ResourceOptions = {},
): DemoResource {
  const r: DemoResource = {
    name,
    subcategoryCode,
    provisionMode: o.mode ?? 'database',
    updateCycle,
    subjectClass,
    purpose,
    sharingAttribute: o.share ?? 'conditional',
    sensitivity: o.sensitivity ?? 'internal',
    items,
  }
  return o.features ? { ...r, features: o.features } : r
}

interface SystemOptions {
  builder: string
  operator: string
  /** default 政务云 */
  deployment?: Deployment
  /** default 运维 */
  status?: RunStatus
  /** default 二级 */
  security?: SecurityLevel
  /** 提供数据方式; empty (the default) means 已对外提供数据 = 否 */
  modes?: readonly SharingMode[]
  /** default 政务外网 */
  networks?: readonly Network[]
}

function build(name: string, level: BuildLevel, o: SystemOptions, resources: readonly DemoResource[]): DemoSystem {
  const modes = o.modes ?? []
  return {
    name,
    buildLevel: level,
    builder: o.builder,
    operator: o.operator,
    deployment: o.deployment ?? 'gov-cloud',
    runStatus: o.status ?? 'maintained',
    securityLevel: o.security ?? 'level2',
    sharesData: modes.length > 0,
    sharingModes: [...modes],
    networks: [...(o.networks ?? ['gov-extranet'])],
    resources,
  }
}

/** A district-built (区级建设) system: the only kind whose resources go on annex 3. */
function districtSystem(name: string, o: SystemOptions, resources: readonly DemoResource[]): DemoSystem {
  return build(name, 'district', o, resources)
}

/** A national- or municipal-built system: reported on annex 2, but no resources (annex 3 rule). */
function upperSystem(name: string, level: 'national' | 'municipal', o: SystemOptions): DemoSystem {
  return build(name, level, o, [])
}

function spec(
  kind: FeatureKind,
  geometry: DemoFeatureSpec['geometry'],
  count: number,
  names: readonly string[],
  extra: Partial<DemoFeatureSpec> = {},
): DemoFeatureSpec {
  return { kind, geometry, count, names, ...extra }
}
const withAttrs = (attributes?: Attributes): Partial<DemoFeatureSpec> => (attributes ? { attributes } : {})

const riskPoints = (count: number, names: readonly string[], attributes?: Attributes) =>
  spec('risk-point', 'Point', count, names, { graded: true, ...withAttrs(attributes) })
const hazards = (count: number, names: readonly string[], impactRadiusM: readonly [number, number], attributes?: Attributes) =>
  spec('hazard-source', 'Point', count, names, { graded: true, impactRadiusM, ...withAttrs(attributes) })
const monitors = (count: number, names: readonly string[], attributes?: Attributes) =>
  spec('monitoring-point', 'Point', count, names, withAttrs(attributes))
const facilities = (count: number, names: readonly string[], attributes?: Attributes, geometry: 'Point' | 'Polygon' = 'Point') =>
  spec('facility', geometry, count, names, withAttrs(attributes))
const pipes = (count: number, names: readonly string[], attributes?: Attributes) =>
  spec('pipeline', 'LineString', count, names, withAttrs(attributes))
const targets = (count: number, names: readonly string[], attributes?: Attributes, geometry: 'Point' | 'Polygon' = 'Point') =>
  spec('protection-target', geometry, count, names, withAttrs(attributes))
const supplies = (count: number, names: readonly string[], capacity: readonly [number, number], capacityUnit: string, attributes?: Attributes) =>
  spec('emergency-resource', 'Point', count, names, { capacity, capacityUnit, ...withAttrs(attributes) })

// ---------------------------------------------------------------------------------------------
// Shared data-item groups (数据项)
// ---------------------------------------------------------------------------------------------

const AREA: Items = [['区县', 'C', 50], ['街道（镇）', 'C', 50]]
const COORDS: Items = [['经度', 'N', 12], ['纬度', 'N', 12]]
/** 区县, 街道（镇）, 详细地址, 所属网格编码 (分区域、网格化管理), 经度, 纬度 */
const LOCATION: Items = [...AREA, ['详细地址', 'C', 200], ['所属网格编码', 'C', 32], ...COORDS]
const CONTACT: Items = [['联系人', 'C', 50], ['联系电话', 'C', 20]]
/** An enterprise or unit as a legal person */
const ORG: Items = [['单位名称', 'C', 100], ['统一社会信用代码', 'C', 18], ['法定代表人', 'C', 50], ['成立日期', 'T', 8]]
const UPDATED: Items = [['数据来源', 'C', 100], ['数据更新时间', 'T', 8]]
const REMARK: Items = [['备注', 'M', 500]]
const TRAILER: Items = [...UPDATED, ...REMARK]
/** One reading of an IoT sensor */
const SENSOR: Items = [
  ['监测点编号', 'C', 32], ['设备编号', 'C', 32], ['监测指标', 'C', 50], ['监测值', 'N', 12], ['计量单位', 'C', 20],
  ['报警阈值', 'N', 12], ['报警状态', 'C', 10], ['采集时间', 'T', 8], ['传输时间', 'T', 8], ['数据质量标识', 'C', 10],
]
/** Where a sensor sits */
const SENSOR_SITE: Items = [['监测点名称', 'C', 100], ...AREA, ...COORDS]
/** A graded risk point */
const RISK: Items = [
  ['风险点编号', 'C', 32], ['风险点名称', 'C', 100], ['风险类型', 'C', 50], ['风险等级', 'C', 10], ['风险描述', 'M', 500],
  ['管控措施', 'M', 500], ['管控责任单位', 'C', 100], ['管控责任人', 'C', 50], ['责任人联系电话', 'C', 20], ['评估日期', 'T', 8],
  ['最近巡查日期', 'T', 8],
]
/** A hazard source with its impact range and handling plan */
const HAZARD: Items = [
  ['危险源编号', 'C', 32], ['危险物质名称', 'C', 200], ['临界量（吨）', 'N', 12], ['设计储量（吨）', 'N', 12],
  ['危险源等级', 'C', 10], ['影响半径（米）', 'N', 8], ['应急处置方案', 'M', 500],
]
const PERMIT: Items = [['许可证编号', 'C', 50], ['发证机关', 'C', 100], ['发证日期', 'T', 8], ['有效期至', 'T', 8]]
const INSPECTION: Items = [
  ['检查编号', 'C', 32], ['检查日期', 'T', 8], ['检查人员', 'C', 100], ['发现问题', 'M', 500], ['整改要求', 'M', 500],
  ['整改期限', 'T', 8], ['整改状态', 'C', 20], ['复查日期', 'T', 8],
]
const EVENT: Items = [
  ['事件编号', 'C', 32], ['事件类型', 'C', 50], ['发生时间', 'T', 8], ['事件描述', 'M', 500], ['处置状态', 'C', 20],
  ['处置结果', 'M', 500], ['信息来源', 'C', 50],
]
const STATS: Items = [['统计周期', 'C', 20], ['统计起始日期', 'T', 8], ['统计截止日期', 'T', 8], ['统计单位', 'C', 100], ['填报日期', 'T', 8]]
/** Personal data: always on restricted resources */
const PERSON: Items = [['姓名', 'C', 50], ['性别', 'C', 4], ['出生日期', 'T', 8], ['身份证号码', 'C', 18], ['工作单位', 'C', 100], ['职务', 'C', 50], ['手机号码', 'C', 20]]
const PHOTO: Items = [['现场照片', 'G', 255]]
/** A pipeline segment */
const PIPE: Items = [
  ['管段编号', 'C', 32], ['所在道路', 'C', 100], ['起点编号', 'C', 32], ['终点编号', 'C', 32], ['管径', 'N', 8], ['材质', 'C', 50],
  ['管段长度（米）', 'N', 10], ['起点埋深', 'N', 8], ['终点埋深', 'N', 8], ['敷设方式', 'C', 20], ['建设年代', 'C', 10],
  ['权属单位', 'C', 100],
]

// ---------------------------------------------------------------------------------------------
// Place names
// ---------------------------------------------------------------------------------------------

/** Road names of 渝北区 used in feature name templates ({road}). */
export const DEMO_ROADS: readonly string[] = [
  '金开大道', '新南路', '新溉大道', '红锦大道', '金山大道', '渝鲁大道', '龙华大道', '兰桂大道', '双龙大道', '宝环路',
  '空港大道', '青枫北路', '星光大道', '同茂大道', '机场路', '桃源大道', '松石大道', '黄山大道', '财富大道', '金渝大道',
  '湖霞街', '龙溪路', '松牌路', '紫荆路', '洪湖东路', '礼嘉大道', '悦来大道', '金石大道', '回兴路', '宝圣大道',
  '东湖南路', '汉渝路', '双湖路', '食品城大道', '兴科大道', '金州大道', '龙景路', '霓裳大道', '栖霞路', '翔宇路',
]

/** Street, town and community names of 渝北区 used in feature name templates ({community}). */
export const DEMO_COMMUNITIES: readonly string[] = [
  '两路', '双凤桥', '双龙湖', '回兴', '龙溪', '龙山', '龙塔', '仙桃', '宝圣湖', '王家',
  '悦来', '人和', '礼嘉', '天宫殿', '翠云', '大竹林', '康美', '金山', '鸳鸯', '木耳',
  '古路', '统景', '大盛', '兴隆', '茨竹', '洛碛', '石船', '玉峰山', '龙兴', '大湾',
  '新牌坊', '冉家坝', '加州', '松牌', '空港', '黄泥塝', '花园新村', '金港', '长河', '桂花',
]

// ---------------------------------------------------------------------------------------------
// Departments, in the order of the notice
// ---------------------------------------------------------------------------------------------

const SHARED_MODES_FILE: readonly SharingMode[] = ['file']
const GOV: readonly Network[] = ['gov-extranet']

// 区经济信息委 — late, 电力管网 only --------------------------------------------------------------
const ECONOMY: DemoDepartment = {
  name: '渝北区经济信息委',
  shortName: '区经济信息委',
  reporting: 'late',
  diligence: 0.72,
  reviewer: '周某某',
  filler: '谭某',
  phone: '023-67812104',
  systems: [
    districtSystem('渝北区电力设施保护与电网运行监管系统', {
      builder: '渝北区经济和信息化委员会', operator: '渝北区能源保障服务中心',
      modes: SHARED_MODES_FILE, networks: GOV, security: 'level2',
    }, [
      res('电力管网基础信息', 'power', 'basic', 'thing', 'quarterly', [
        ['线路编号', 'C', 32], ['线路名称', 'C', 100], ['电压等级', 'C', 20], ['敷设方式', 'C', 20], ['起点位置', 'C', 200],
        ['终点位置', 'C', 200], ['线路长度（米）', 'N', 10], ['电缆型号', 'C', 50], ['导线截面积', 'N', 8], ['投运日期', 'T', 8],
        ['产权单位', 'C', 100], ['运维单位', 'C', 100], ...AREA, ...TRAILER,
      ], {
        mode: 'file',
        features: [pipes(600, ['{road}10kV电缆线路{n}段', '{road}110kV架空线路{n}段', '{community}35kV配电线路{n}段'], {
          电压等级: ['10kV', '35kV', '110kV', '220kV'], 敷设方式: ['直埋', '排管', '电缆沟', '电缆隧道', '架空'],
        })],
      }),
      res('变电站基础信息', 'power', 'basic', 'place', 'yearly', [
        ['变电站编号', 'C', 32], ['变电站名称', 'C', 100], ['电压等级', 'C', 20], ['主变台数', 'N', 4], ['主变容量（MVA）', 'N', 10],
        ...LOCATION, ['投运日期', 'T', 8], ['运维单位', 'C', 100], ...CONTACT, ...TRAILER,
      ], {
        mode: 'file',
        features: [facilities(80, ['{community}110kV变电站', '{community}220kV变电站', '{road}35kV变电站'], {
          电压等级: ['35kV', '110kV', '220kV'], 值守方式: ['有人值守', '无人值守'],
        })],
      }),
      res('电力电缆通道运行监测数据', 'power', 'monitoring', 'thing', 'realtime', [
        ['通道编号', 'C', 32], ...SENSOR_SITE, ...SENSOR, ['电缆表面温度', 'N', 8], ['局部放电量', 'N', 10], ['通道积水深度', 'N', 8],
      ], {
        mode: 'api',
        features: [monitors(100, ['{road}电缆通道测温点{n}', '{road}电缆井积水监测点{n}'], { 监测指标: ['电缆温度', '局部放电', '积水深度', '井盖状态'] })],
      }),
      res('电力设施保护区外力破坏隐患信息', 'power', 'risk-control', 'event', 'irregular', [
        ...RISK, ...LOCATION, ['涉及线路名称', 'C', 100], ['施工单位', 'C', 100], ...CONTACT, ...PHOTO,
      ], {
        mode: 'file',
        features: [riskPoints(60, ['{road}电力线路外破隐患点{n}', '{community}电缆保护区施工隐患点{n}'], { 隐患类型: ['机械施工', '违章建筑', '树线矛盾', '异物搭挂'] })],
      }),
      res('电力线路迁改项目信息', 'power', 'risk-management', 'event', 'monthly', [
        ['项目编号', 'C', 32], ['项目名称', 'C', 200], ['涉及线路名称', 'C', 100], ['迁改原因', 'M', 500], ['迁改长度（米）', 'N', 10],
        ['计划开工日期', 'T', 8], ['计划完工日期', 'T', 8], ['项目进度', 'C', 20], ['总投资（万元）', 'Y', 18], ['建设单位', 'C', 100],
        ...AREA, ...TRAILER,
      ], { mode: 'file' }),
      res('区域用电负荷统计信息', 'power', 'statistics', 'thing', 'monthly', [
        ...STATS, ['供电分区', 'C', 50], ['最大负荷（MW）', 'N', 12], ['平均负荷（MW）', 'N', 12], ['用电量（万千瓦时）', 'N', 14],
        ['同比增长率', 'N', 8], ['停电事件次数', 'N', 6], ['停电时户数', 'N', 10], ...REMARK,
      ], { mode: 'file', share: 'unconditional', sensitivity: 'public' }),
    ]),
    upperSystem('重庆市电力运行调度监测平台', 'municipal', {
      builder: '重庆市经济和信息化委员会', operator: '重庆市经济和信息化委员会', deployment: 'other', security: 'level3',
      modes: ['api'], networks: ['gov-extranet', 'other'],
    }),
  ],
}

// 区住房城乡建设委 ---------------------------------------------------------------------------------
const HOUSING_BUILDER = '渝北区住房和城乡建设委员会'
const CONSTRUCTION_SITE: Items = [['项目编号', 'C', 32], ['项目名称', 'C', 200], ['施工许可证号', 'C', 50], ...LOCATION]

const HOUSING: DemoDepartment = {
  name: '渝北区住房城乡建设委',
  shortName: '区住房城乡建设委',
  reporting: 'on-time',
  diligence: 0.88,
  reviewer: '陈某某',
  filler: '刘某',
  phone: '023-67813318',
  systems: [
    districtSystem('渝北区燃气安全监管信息系统', {
      builder: HOUSING_BUILDER, operator: '渝北区燃气安全管理服务中心',
      modes: ['database', 'api'], networks: ['gov-extranet', 'internet'], security: 'level3',
    }, [
      res('长输管道基础信息', 'gas', 'basic', 'thing', 'yearly', [
        ['管道编号', 'C', 32], ['管道名称', 'C', 100], ['管道起点', 'C', 200], ['管道终点', 'C', 200], ['途经街镇', 'C', 200],
        ['区内长度（千米）', 'N', 10], ['管径', 'N', 8], ['设计压力（MPa）', 'N', 8], ['输送介质', 'C', 50], ['材质', 'C', 50],
        ['投运日期', 'T', 8], ['运营单位', 'C', 100], ['高后果区段数', 'N', 4], ...CONTACT, ...TRAILER,
      ], {
        features: [pipes(40, ['{community}段天然气长输管道{n}', '{community}输气支线{n}段'], {
          管径: ['DN406', 'DN508', 'DN610', 'DN711'], 设计压力: ['4.0MPa', '6.3MPa', '10MPa'],
        })],
      }),
      res('城镇燃气管网基础信息', 'gas', 'basic', 'thing', 'quarterly', [
        ...PIPE, ['压力等级', 'C', 20], ['设计压力（MPa）', 'N', 8], ['防腐方式', 'C', 50], ['投运日期', 'T', 8], ...AREA, ...TRAILER,
      ], {
        features: [pipes(1400, ['{road}中压燃气管段{n}', '{road}低压燃气管段{n}', '{community}庭院燃气管段{n}', '{road}次高压燃气管段{n}'], {
          管径: ['DN100', 'DN150', 'DN200', 'DN300', 'DN400'], 材质: ['PE', '钢管', '球墨铸铁'],
          压力等级: ['低压', '中压B', '中压A', '次高压'],
        })],
      }),
      res('燃气场站基础信息', 'gas', 'basic', 'place', 'yearly', [
        ['场站编号', 'C', 32], ['场站名称', 'C', 100], ['场站类型', 'C', 50], ...LOCATION, ['设计规模（立方米/小时）', 'N', 12],
        ['进口压力（MPa）', 'N', 8], ['出口压力（MPa）', 'N', 8], ['投运日期', 'T', 8], ['运营单位', 'C', 100], ...CONTACT, ...TRAILER,
      ], {
        features: [facilities(70, ['{community}燃气调压站', '{road}燃气调压柜{n}', '{community}天然气门站', '{community}CNG加气母站'], {
          场站类型: ['门站', '储配站', '调压站', '调压柜'],
        })],
      }),
      res('液化石油气供应站信息', 'gas', 'risk-management', 'place', 'quarterly', [
        ...ORG, ['供应站名称', 'C', 100], ...LOCATION, ...HAZARD, ['储罐数量', 'N', 4], ['钢瓶存量（只）', 'N', 8],
        ...PERMIT, ['联系电话', 'C', 20],
      ], {
        features: [hazards(60, ['{community}液化石油气供应站', '{road}瓶装液化气供应点{n}'], [100, 600], {
          站点等级: ['一级站', '二级站', '三级站'], 危险物质: ['液化石油气'],
        })],
      }),
      res('燃气非居民用户信息', 'gas', 'basic', 'people', 'monthly', [
        ['用户编号', 'C', 32], ...ORG, ['用户类型', 'C', 50], ...LOCATION, ['用气设备', 'C', 200], ['月均用气量（立方米）', 'N', 12],
        ['是否安装泄漏报警装置', 'L', 1], ['是否安装自动切断装置', 'L', 1], ...CONTACT, ...UPDATED,
      ]),
      res('燃气居民用户信息', 'gas', 'basic', 'people', 'monthly', [
        ['用户编号', 'C', 32], ['户主姓名', 'C', 50], ['身份证号码', 'C', 18], ['手机号码', 'C', 20], ...AREA, ['小区名称', 'C', 100],
        ['楼栋单元门牌', 'C', 50], ['表具型号', 'C', 50], ['开户日期', 'T', 8], ['最近入户安检日期', 'T', 8], ['安检结果', 'C', 20],
        ...UPDATED,
      ], { share: 'conditional', sensitivity: 'restricted' }),
      res('燃气泄漏监测数据', 'gas', 'monitoring', 'thing', 'realtime', [
        ...SENSOR_SITE, ...SENSOR, ['甲烷浓度（%LEL）', 'N', 8], ['安装位置类型', 'C', 50], ['设备在线状态', 'L', 1], ['电池电量', 'N', 4],
      ], {
        mode: 'api',
        features: [monitors(1300, ['{community}燃气泄漏监测点{n}', '{road}燃气阀井甲烷监测点{n}', '{community}餐饮场所燃气报警器{n}'], {
          设备类型: ['激光甲烷传感器', '催化燃烧式探测器', '阀井监测终端', '家用可燃气体报警器'],
        })],
      }),
      res('燃气管网压力监测数据', 'gas', 'monitoring', 'thing', 'realtime', [
        ...SENSOR_SITE, ...SENSOR, ['管段编号', 'C', 32], ['压力等级', 'C', 20], ['瞬时压力（kPa）', 'N', 10], ['瞬时流量（立方米/小时）', 'N', 12],
      ], {
        mode: 'api',
        features: [monitors(500, ['{road}燃气管网压力监测点{n}', '{community}调压站出口压力监测点{n}'], { 监测指标: ['压力', '流量', '温度'] })],
      }),
      res('燃气经营企业信息', 'gas', 'basic', 'people', 'yearly', [
        ...ORG, ['企业类型', 'C', 50], ['注册地址', 'C', 200], ['经营区域', 'C', 200], ['经营类别', 'C', 100], ...PERMIT,
        ['用户数量', 'N', 10], ['从业人员数', 'N', 6], ['安全管理负责人', 'C', 50], ...CONTACT,
      ], { share: 'unconditional', sensitivity: 'public' }),
      res('燃气安全隐患排查整治信息', 'gas', 'risk-control', 'event', 'weekly', [
        ...RISK, ...LOCATION, ['隐患类型', 'C', 50], ['发现日期', 'T', 8], ['整改期限', 'T', 8], ['整改状态', 'C', 20], ...PHOTO,
      ], {
        features: [riskPoints(300, ['{community}燃气安全隐患点{n}', '{road}燃气管道占压隐患点{n}'], {
          隐患类型: ['违章占压', '安全间距不足', '管道腐蚀', '私接乱改', '第三方施工'],
        })],
      }),
      res('燃气报警事件处置记录', 'gas', 'monitoring', 'event', 'daily', [
        ...EVENT, ['报警来源', 'C', 50], ['监测点编号', 'C', 32], ['报警浓度', 'N', 8], ...LOCATION, ['到场时间', 'T', 8],
        ['处置单位', 'C', 100], ['处置人员', 'C', 100],
      ]),
      res('燃气安全运行月度统计', 'gas', 'statistics', 'event', 'monthly', [
        ...STATS, ['供气总量（万立方米）', 'N', 14], ['管网总长度（千米）', 'N', 10], ['报警次数', 'N', 8], ['泄漏事件数', 'N', 6],
        ['隐患排查数', 'N', 8], ['隐患整改数', 'N', 8], ['入户安检户数', 'N', 10], ...REMARK,
      ], { mode: 'file' }),
    ]),
    districtSystem('渝北区建设工程质量安全监管平台', {
      builder: HOUSING_BUILDER, operator: '渝北区建设工程安全质量监督站',
      modes: ['database'], networks: GOV, security: 'level2',
    }, [
      res('在建工程项目基础信息', 'construction', 'basic', 'place', 'monthly', [
        ...CONSTRUCTION_SITE, ['工程类别', 'C', 50], ['建筑面积（平方米）', 'N', 12], ['合同造价（万元）', 'Y', 18], ['建设单位', 'C', 100],
        ['施工单位', 'C', 100], ['监理单位', 'C', 100], ['项目经理', 'C', 50], ['开工日期', 'T', 8], ['计划竣工日期', 'T', 8],
        ['形象进度', 'C', 100], ...TRAILER,
      ]),
      res('建筑施工企业信息', 'construction', 'basic', 'people', 'quarterly', [
        ...ORG, ['资质类别', 'C', 100], ['资质等级', 'C', 20], ['资质证书编号', 'C', 50], ['安全生产许可证号', 'C', 50],
        ['许可证有效期至', 'T', 8], ['注册地址', 'C', 200], ['在渝北在建项目数', 'N', 6], ...CONTACT, ...UPDATED,
      ], { share: 'unconditional', sensitivity: 'public' }),
      res('危险性较大的分部分项工程信息', 'construction', 'risk-management', 'event', 'weekly', [
        ...CONSTRUCTION_SITE, ['危大工程类型', 'C', 50], ['是否超过一定规模', 'L', 1], ['专项方案论证日期', 'T', 8], ['计划实施日期', 'T', 8],
        ['风险等级', 'C', 10], ['现场管控措施', 'M', 500], ['项目安全负责人', 'C', 50], ...TRAILER,
      ], {
        features: [riskPoints(300, ['{community}{n}号地块深基坑工程', '{road}在建项目高支模工程{n}', '{community}在建项目起重吊装作业点{n}'], {
          工程类型: ['深基坑', '高大模板', '起重吊装', '附着式脚手架', '暗挖工程'],
        })],
      }),
      res('深基坑及高支模自动化监测数据', 'construction', 'monitoring', 'thing', 'realtime', [
        ['项目编号', 'C', 32], ...SENSOR_SITE, ...SENSOR, ['累计变化量（毫米）', 'N', 10], ['变化速率（毫米/天）', 'N', 8],
      ], {
        mode: 'api',
        features: [monitors(200, ['{community}基坑监测点{n}', '{road}高支模监测点{n}'], { 监测指标: ['水平位移', '竖向位移', '支撑轴力', '地下水位', '立杆倾角'] })],
      }),
      res('建筑起重机械备案信息', 'construction', 'basic', 'thing', 'monthly', [
        ['备案编号', 'C', 32], ['设备类型', 'C', 50], ['规格型号', 'C', 50], ['出厂编号', 'C', 50], ['制造单位', 'C', 100],
        ['出厂日期', 'T', 8], ['产权单位', 'C', 100], ['使用项目名称', 'C', 200], ['安装日期', 'T', 8], ['检验日期', 'T', 8],
        ['检验结论', 'C', 50], ['使用状态', 'C', 20],
      ]),
      res('施工现场安全隐患整改信息', 'construction', 'risk-control', 'event', 'weekly', [
        ['项目编号', 'C', 32], ['项目名称', 'C', 200], ...INSPECTION, ['隐患等级', 'C', 10], ['停工整改', 'L', 1], ...PHOTO,
      ]),
      res('轨道交通施工安全风险信息', 'construction', 'risk-management', 'place', 'monthly', [
        ['线路名称', 'C', 50], ['工点名称', 'C', 100], ...LOCATION, ['施工工法', 'C', 50], ['风险源描述', 'M', 500], ['风险等级', 'C', 10],
        ['邻近建构筑物', 'M', 500], ['施工单位', 'C', 100], ['监测单位', 'C', 100], ...TRAILER,
      ], {
        features: [riskPoints(60, ['轨道交通{community}站施工风险点', '轨道交通{community}区间盾构施工风险点{n}'], { 施工工法: ['明挖', '暗挖', '盾构', '高架'] })],
      }),
      res('建筑施工安全事故统计', 'construction', 'statistics', 'event', 'quarterly', [
        ...STATS, ['事故起数', 'N', 6], ['死亡人数', 'N', 6], ['受伤人数', 'N', 6], ['直接经济损失（万元）', 'Y', 18], ['事故类型分布', 'M', 500],
        ...REMARK,
      ], { mode: 'file' }),
      res('建筑施工特种作业人员信息', 'construction', 'basic', 'people', 'quarterly', [
        ...PERSON, ['作业类别', 'C', 50], ['操作资格证号', 'C', 50], ['发证日期', 'T', 8], ['证书有效期至', 'T', 8], ['所在项目', 'C', 200],
      ], { sensitivity: 'restricted' }),
    ]),
    districtSystem('渝北区房屋安全管理信息系统', {
      builder: HOUSING_BUILDER, operator: '渝北区房屋安全管理中心',
      modes: ['file'], networks: GOV, status: 'out-of-warranty',
    }, [
      res('房屋建筑基础信息', 'building', 'basic', 'place', 'yearly', [
        ['房屋编码', 'C', 32], ['建筑名称', 'C', 100], ...LOCATION, ['建成年代', 'C', 10], ['结构类型', 'C', 50], ['地上层数', 'N', 4],
        ['地下层数', 'N', 4], ['建筑面积（平方米）', 'N', 12], ['房屋用途', 'C', 50], ['产权性质', 'C', 50], ['抗震设防烈度', 'C', 10], ...UPDATED,
      ]),
      res('危险房屋鉴定信息', 'building', 'risk-management', 'place', 'irregular', [
        ['房屋编码', 'C', 32], ['建筑名称', 'C', 100], ...LOCATION, ['鉴定机构', 'C', 100], ['鉴定日期', 'T', 8], ['鉴定等级', 'C', 10],
        ['主要危险点', 'M', 500], ['处理建议', 'M', 500], ['居住户数', 'N', 6], ['是否已搬离', 'L', 1], ...CONTACT, ...PHOTO,
      ], {
        features: [riskPoints(350, ['{community}{n}号危险房屋', '{road}沿街危房{n}号'], { 鉴定等级: ['C级', 'D级'], 结构类型: ['砖混', '砖木', '土木', '框架'] })],
      }),
      res('农村自建房安全排查信息', 'building', 'risk-control', 'place', 'quarterly', [
        ['房屋编码', 'C', 32], ...LOCATION, ['户主姓名', 'C', 50], ['是否用于经营', 'L', 1], ['经营类型', 'C', 50], ['建造方式', 'C', 50],
        ['层数', 'N', 4], ['排查结论', 'C', 50], ['存在问题', 'M', 500], ['整治措施', 'M', 500], ['排查日期', 'T', 8],
      ], { sensitivity: 'restricted' }),
      res('城镇老旧小区房屋安全隐患信息', 'building', 'risk-control', 'place', 'quarterly', [
        ['小区名称', 'C', 100], ...LOCATION, ['建成年代', 'C', 10], ['楼栋数', 'N', 4], ['住户数', 'N', 6], ['隐患类型', 'C', 100],
        ['隐患描述', 'M', 500], ['是否纳入改造计划', 'L', 1], ['物业服务单位', 'C', 100], ...CONTACT, ...UPDATED,
      ]),
      res('房屋安全鉴定机构信息', 'building', 'basic', 'people', 'yearly', [
        ...ORG, ['资质等级', 'C', 20], ['备案编号', 'C', 32], ['注册地址', 'C', 200], ['技术负责人', 'C', 50], ['鉴定人员数', 'N', 4],
        ...CONTACT, ...UPDATED,
      ], { share: 'unconditional', sensitivity: 'public', mode: 'file' }),
      res('房屋结构安全监测数据', 'building', 'monitoring', 'thing', 'daily', [
        ['房屋编码', 'C', 32], ...SENSOR_SITE, ...SENSOR, ['倾斜角度', 'N', 8], ['裂缝宽度（毫米）', 'N', 8], ['沉降量（毫米）', 'N', 8],
      ], {
        mode: 'api',
        features: [monitors(150, ['{community}房屋倾斜监测点{n}', '{community}危房裂缝监测点{n}'], { 监测指标: ['倾斜', '裂缝', '沉降'] })],
      }),
      res('房屋安全使用巡查记录', 'building', 'risk-control', 'event', 'monthly', [
        ['房屋编码', 'C', 32], ['建筑名称', 'C', 100], ...AREA, ...INSPECTION, ['网格员', 'C', 50],
      ]),
      res('房屋安全隐患整治统计', 'building', 'statistics', 'event', 'quarterly', [
        ...STATS, ['排查房屋栋数', 'N', 8], ['C级危房数', 'N', 6], ['D级危房数', 'N', 6], ['已整治数', 'N', 6], ['搬离人数', 'N', 8], ...REMARK,
      ], { mode: 'file' }),
    ]),
    districtSystem('渝北区城市综合管廊智慧运维管理平台', {
      builder: HOUSING_BUILDER, operator: '渝北区综合管廊运维中心',
      modes: ['database', 'api'], networks: ['gov-extranet', 'lan'], security: 'level3',
    }, [
      res('综合管廊基础信息', 'utility-tunnel', 'basic', 'place', 'yearly', [
        ['管廊编号', 'C', 32], ['管廊名称', 'C', 100], ['所在道路', 'C', 100], ['管廊类型', 'C', 20], ['舱室数量', 'N', 4],
        ['管廊长度（米）', 'N', 10], ['断面尺寸', 'C', 50], ['建成日期', 'T', 8], ['运营单位', 'C', 100], ...AREA, ...CONTACT, ...TRAILER,
      ], {
        features: [facilities(40, ['{road}综合管廊{n}号舱段', '{road}缆线管廊{n}段'], { 管廊类型: ['干线管廊', '支线管廊', '缆线管廊'] }, 'Polygon')],
      }),
      res('入廊管线信息', 'utility-tunnel', 'basic', 'thing', 'quarterly', [
        ['管廊编号', 'C', 32], ['舱室名称', 'C', 50], ['管线类别', 'C', 50], ['管线权属单位', 'C', 100], ['管径或规格', 'C', 50],
        ['入廊长度（米）', 'N', 10], ['入廊日期', 'T', 8], ['运行状态', 'C', 20], ...CONTACT, ...UPDATED,
      ]),
      res('管廊舱室环境监测数据', 'utility-tunnel', 'monitoring', 'thing', 'realtime', [
        ['管廊编号', 'C', 32], ['舱室名称', 'C', 50], ['防火分区', 'C', 20], ...SENSOR, ['甲烷浓度', 'N', 8], ['氧气浓度', 'N', 8],
        ['硫化氢浓度', 'N', 8], ['温度', 'N', 6], ['湿度', 'N', 6], ['集水坑水位', 'N', 8],
      ], {
        mode: 'api',
        features: [monitors(150, ['{road}管廊舱室环境监测点{n}', '{road}管廊集水坑液位监测点{n}'], {
          监测指标: ['甲烷', '氧气', '硫化氢', '温度', '湿度', '水位'],
        })],
      }),
      res('管廊巡检记录', 'utility-tunnel', 'risk-control', 'event', 'daily', [
        ['巡检编号', 'C', 32], ['管廊编号', 'C', 32], ['巡检区段', 'C', 100], ['巡检日期', 'T', 8], ['巡检人员', 'C', 100],
        ['巡检方式', 'C', 20], ['发现问题', 'M', 500], ['问题等级', 'C', 10], ['处理情况', 'M', 500], ['整改完成日期', 'T', 8],
        ['巡检结论', 'C', 20], ...PHOTO,
      ]),
      res('管廊附属设施信息', 'utility-tunnel', 'basic', 'thing', 'yearly', [
        ['设施编号', 'C', 32], ['管廊编号', 'C', 32], ['设施类别', 'C', 50], ['设施名称', 'C', 100], ['规格型号', 'C', 50],
        ['安装位置', 'C', 100], ['安装日期', 'T', 8], ['维保单位', 'C', 100], ['运行状态', 'C', 20], ['最近维护日期', 'T', 8], ...UPDATED,
      ]),
      res('管廊运行统计信息', 'utility-tunnel', 'statistics', 'event', 'monthly', [
        ...STATS, ['入廊管线总长度（千米）', 'N', 10], ['报警次数', 'N', 6], ['巡检次数', 'N', 6], ['故障次数', 'N', 6],
        ['运维费用（万元）', 'Y', 18], ...REMARK,
      ], { mode: 'file' }),
    ]),
    upperSystem('全国工程质量安全监管信息平台', 'national', {
      builder: '中华人民共和国住房和城乡建设部', operator: HOUSING_BUILDER, deployment: 'other', security: 'level3',
      modes: [], networks: ['internet'],
    }),
    upperSystem('重庆市智慧工地监管平台', 'municipal', {
      builder: '重庆市住房和城乡建设委员会', operator: '渝北区建设工程安全质量监督站', deployment: 'other',
      modes: ['api'], networks: ['internet', 'gov-extranet'],
    }),
  ],
}

// 区城市管理局 -------------------------------------------------------------------------------------
const CITY_BUILDER = '渝北区城市管理局'
/** 桥梁基础信息: reported by 区城市管理局 and 区交通局 alike (the demo's one-source conflict). */
const BRIDGE_ITEMS: Items = [
  ['桥梁编号', 'C', 32], ['桥梁名称', 'C', 100], ['所在道路', 'C', 100], ...AREA, ...COORDS, ['桥梁类型', 'C', 50],
  ['结构形式', 'C', 50], ['桥梁全长（米）', 'N', 10], ['桥面宽度（米）', 'N', 8], ['最大跨径（米）', 'N', 8], ['设计荷载', 'C', 50],
  ['建成年份', 'N', 4], ['养护等级', 'C', 10], ['技术状况等级', 'C', 10], ['管养单位', 'C', 100], ...UPDATED,
]

const CITY: DemoDepartment = {
  name: '渝北区城市管理局',
  shortName: '区城市管理局',
  reporting: 'on-time',
  diligence: 0.9,
  reviewer: '杨某某',
  filler: '何某',
  phone: '023-67814520',
  systems: [
    districtSystem('渝北区数字化城市管理信息系统', {
      builder: CITY_BUILDER, operator: '渝北区数字化城市管理中心',
      modes: ['database', 'file'], networks: ['gov-extranet', 'lan'], security: 'level3',
    }, [
      res('城市道路塌陷隐患信息', 'traffic', 'risk-management', 'place', 'irregular', [
        ...RISK, ...LOCATION, ['所在道路', 'C', 100], ['隐患面积（平方米）', 'N', 10], ['空洞深度（米）', 'N', 8], ['发现方式', 'C', 50], ...PHOTO,
      ], {
        features: [riskPoints(150, ['{road}道路塌陷隐患点{n}', '{road}路面沉陷点{n}'], { 发现方式: ['探地雷达检测', '巡查发现', '市民举报'] })],
      }),
      res('城市道路基础信息', 'traffic', 'basic', 'place', 'yearly', [
        ['道路编号', 'C', 32], ['道路名称', 'C', 100], ['道路等级', 'C', 20], ['起点', 'C', 100], ['终点', 'C', 100],
        ['道路长度（米）', 'N', 10], ['道路宽度（米）', 'N', 8], ['车道数', 'N', 4], ['路面类型', 'C', 50], ['建成年份', 'N', 4],
        ['管养单位', 'C', 100], ...AREA, ...UPDATED,
      ], { share: 'unconditional', sensitivity: 'public' }),
      res('城市道路井盖设施信息', 'drainage', 'basic', 'thing', 'quarterly', [
        ['部件编号', 'C', 32], ['部件类型', 'C', 50], ['所在道路', 'C', 100], ...COORDS, ['井盖材质', 'C', 50], ['井盖规格', 'C', 50],
        ['权属单位', 'C', 100], ['是否安装防坠网', 'L', 1], ['部件状态', 'C', 20], ...UPDATED,
      ]),
      res('城市道路病害巡查记录', 'traffic', 'risk-control', 'event', 'daily', [
        ['案件编号', 'C', 32], ['案件类别', 'C', 50], ['问题描述', 'M', 500], ...LOCATION, ['上报时间', 'T', 8], ['上报人', 'C', 50],
        ['派遣单位', 'C', 100], ['处置时限', 'T', 8], ['结案时间', 'T', 8], ['案件状态', 'C', 20], ...PHOTO,
      ]),
      res('道路地下病害体探测信息', 'traffic', 'risk-management', 'event', 'yearly', [
        ['探测编号', 'C', 32], ['所在道路', 'C', 100], ...COORDS, ['病害体类型', 'C', 50], ['埋深（米）', 'N', 8], ['影响范围（平方米）', 'N', 10],
        ['探测日期', 'T', 8], ['探测单位', 'C', 100], ['处置建议', 'M', 500], ['处置状态', 'C', 20],
      ], { mode: 'file' }),
      res('户外广告及招牌设施安全信息', 'building', 'risk-management', 'thing', 'quarterly', [
        ['设施编号', 'C', 32], ['设施类型', 'C', 50], ['设置单位', 'C', 100], ...LOCATION, ['设置高度（米）', 'N', 8], ['面积（平方米）', 'N', 8],
        ['结构形式', 'C', 50], ['最近检测日期', 'T', 8], ['安全状况', 'C', 20], ...CONTACT,
      ]),
    ]),
    districtSystem('渝北区城市桥梁隧道安全监测系统', {
      builder: CITY_BUILDER, operator: '渝北区市政设施管理所',
      modes: ['api'], networks: GOV, security: 'level2',
    }, [
      res('桥梁基础信息', 'bridge', 'basic', 'thing', 'yearly', BRIDGE_ITEMS, {
        features: [facilities(260, ['{road}{n}号桥', '{community}人行天桥{n}', '{road}立交桥', '{road}跨线桥{n}'], {
          桥梁类型: ['梁桥', '拱桥', '斜拉桥', '人行天桥', '立交桥'], 技术状况等级: ['1类', '2类', '3类', '4类'],
        })],
      }),
      res('桥梁结构健康监测数据', 'bridge', 'monitoring', 'thing', 'realtime', [
        ['桥梁编号', 'C', 32], ['桥梁名称', 'C', 100], ...SENSOR, ['测点位置', 'C', 100], ['应变值（με）', 'N', 10], ['挠度（毫米）', 'N', 8],
        ['加速度', 'N', 10], ['环境温度', 'N', 6],
      ], {
        mode: 'api',
        features: [monitors(350, ['{road}桥梁应变监测点{n}', '{road}桥梁挠度监测点{n}', '{community}人行天桥振动监测点{n}'], {
          监测指标: ['应变', '挠度', '位移', '振动', '裂缝', '支座位移'],
        })],
      }),
      res('桥梁定期检测评定信息', 'bridge', 'risk-management', 'thing', 'yearly', [
        ['桥梁编号', 'C', 32], ['桥梁名称', 'C', 100], ['检测类型', 'C', 20], ['检测日期', 'T', 8], ['检测单位', 'C', 100],
        ['技术状况评分', 'N', 6], ['技术状况等级', 'C', 10], ['主要病害', 'M', 500], ['养护对策', 'M', 500], ['是否限载', 'L', 1],
        ['检测报告', 'G', 255],
      ], { mode: 'file' }),
      res('城市道路隧道基础信息', 'tunnel', 'basic', 'thing', 'yearly', [
        ['隧道编号', 'C', 32], ['隧道名称', 'C', 100], ['所在道路', 'C', 100], ...AREA, ...COORDS, ['隧道长度（米）', 'N', 10],
        ['隧道类别', 'C', 20], ['车道数', 'N', 4], ['净高（米）', 'N', 6], ['建成年份', 'N', 4], ['通风方式', 'C', 50], ['养护等级', 'C', 10],
        ['管养单位', 'C', 100], ...UPDATED,
      ], {
        features: [facilities(30, ['{road}隧道', '{community}下穿隧道', '{road}{n}号隧道'], { 隧道类别: ['特长隧道', '长隧道', '中隧道', '短隧道'] })],
      }),
      res('城市道路隧道环境监测数据', 'traffic', 'monitoring', 'thing', 'realtime', [
        ['隧道编号', 'C', 32], ['隧道名称', 'C', 100], ...SENSOR, ['一氧化碳浓度（ppm）', 'N', 8], ['氮氧化物浓度', 'N', 8],
        ['隧道内温度', 'N', 6], ['能见度', 'N', 8], ['路面积水深度（厘米）', 'N', 6],
      ], {
        mode: 'api',
        features: [monitors(120, ['{road}隧道环境监测点{n}', '{road}隧道积水监测点{n}'], {
          监测指标: ['一氧化碳', '氮氧化物', '温度', '能见度', '积水深度'],
        })],
      }),
      res('城市道路隧道易涝点信息', 'traffic', 'risk-management', 'place', 'yearly', [
        ...RISK, ['隧道名称', 'C', 100], ...COORDS, ['历史最大积水深度（厘米）', 'N', 6], ['排水能力（立方米/小时）', 'N', 10],
        ['封闭预案', 'M', 500],
      ], {
        features: [riskPoints(40, ['{road}隧道易涝点{n}', '{community}下穿隧道低洼点'], { 积水风险: ['历史积水', '排水能力不足', '汇水面积大'] })],
      }),
      res('隧道机电设施运行信息', 'tunnel', 'monitoring', 'thing', 'daily', [
        ['隧道编号', 'C', 32], ['设施编号', 'C', 32], ['设施类别', 'C', 50], ['设施名称', 'C', 100], ['运行状态', 'C', 20],
        ['故障代码', 'C', 20], ['故障描述', 'M', 500], ['故障时间', 'T', 8], ['恢复时间', 'T', 8], ['处理人', 'C', 50],
        ['隧道名称', 'C', 100], ['采集时间', 'T', 8],
      ], { mode: 'api' }),
      res('桥梁隧道养护维修记录', 'bridge', 'risk-control', 'event', 'monthly', [
        ['记录编号', 'C', 32], ['设施类型', 'C', 20], ['设施名称', 'C', 100], ['养护类型', 'C', 50], ['养护内容', 'M', 500],
        ['开始日期', 'T', 8], ['完成日期', 'T', 8], ['养护单位', 'C', 100], ['养护费用（万元）', 'Y', 18], ['验收结论', 'C', 50],
      ]),
    ]),
    districtSystem('渝北区城市排水防涝综合管理系统', {
      builder: CITY_BUILDER, operator: '渝北区排水管理所',
      modes: ['database', 'api', 'file'], networks: GOV, security: 'level2',
    }, [
      res('排水管网基础信息', 'drainage', 'basic', 'thing', 'quarterly', [
        ...PIPE, ['管网类别', 'C', 20], ['断面形式', 'C', 20], ['管道坡度', 'N', 8], ['缺陷等级', 'C', 10], ...AREA, ...UPDATED,
      ], {
        features: [pipes(1200, ['{road}雨水管段{n}', '{road}污水管段{n}', '{road}雨污合流管段{n}', '{community}排水箱涵{n}段'], {
          管网类别: ['雨水', '污水', '合流'], 管径: ['DN300', 'DN400', 'DN600', 'DN800', 'DN1000', 'DN1500'],
          材质: ['钢筋混凝土', 'HDPE', 'PVC-U', '砖砌'],
        })],
      }),
      res('城镇污水排入排水管网许可证', 'drainage', 'basic', 'people', 'irregular', [
        ['区县', 'C', 50], ['排水户名称', 'C', 100], ['统一社会信用代码', 'C', 18], ['详细地址', 'C', 200], ...CONTACT,
        ['排水户类型', 'C', 50], ...PERMIT, ['排水口数量', 'N', 4], ['许可排水量（立方米/日）', 'N', 10], ['主要污染物', 'C', 200],
      ], { share: 'unconditional', sensitivity: 'public' }),
      res('排水泵站基础信息', 'drainage', 'basic', 'place', 'yearly', [
        ['泵站编号', 'C', 32], ['泵站名称', 'C', 100], ['泵站类型', 'C', 20], ...LOCATION, ['设计流量（立方米/秒）', 'N', 8],
        ['水泵台数', 'N', 4], ['装机功率（千瓦）', 'N', 8], ['服务面积（平方千米）', 'N', 8], ['运维单位', 'C', 100], ...CONTACT,
      ], {
        features: [facilities(60, ['{community}雨水泵站', '{road}下穿道排水泵站', '{community}污水提升泵站'], { 泵站类型: ['雨水', '污水', '合流'] })],
      }),
      res('城市易涝点信息', 'drainage', 'risk-management', 'place', 'yearly', [
        ...RISK, ...LOCATION, ['易涝类型', 'C', 50], ['历史最大积水深度（厘米）', 'N', 6], ['积水面积（平方米）', 'N', 10],
        ['影响道路', 'C', 100], ['应急抽排设备', 'C', 200],
      ], {
        features: [riskPoints(120, ['{road}下穿道易涝点', '{community}易涝点{n}', '{road}低洼路段易涝点{n}'], { 易涝类型: ['下穿通道', '低洼路段', '小区地库', '老旧片区'] })],
      }),
      res('排水管网液位流量监测数据', 'drainage', 'monitoring', 'thing', 'realtime', [
        ...SENSOR_SITE, ...SENSOR, ['检查井编号', 'C', 32], ['液位（米）', 'N', 8], ['流速（米/秒）', 'N', 8], ['瞬时流量（立方米/秒）', 'N', 10],
        ['满管率', 'N', 6],
      ], {
        mode: 'api',
        features: [monitors(300, ['{road}排水管网液位监测点{n}', '{community}排口流量监测点{n}', '{road}检查井液位计{n}'], {
          监测指标: ['液位', '流量', '流速', '满管率'],
        })],
      }),
      res('污水处理厂运行信息', 'drainage', 'monitoring', 'place', 'daily', [
        ['处理厂名称', 'C', 100], ...LOCATION, ['设计规模（万吨/日）', 'N', 8], ['当日处理量（万吨）', 'N', 8], ['进水COD', 'N', 8],
        ['出水COD', 'N', 8], ['出水氨氮', 'N', 8], ['运行负荷率', 'N', 6], ['运营单位', 'C', 100], ['统计日期', 'T', 8],
      ], {
        features: [facilities(12, ['{community}污水处理厂', '{community}再生水厂'], { 处理工艺: ['A2O', 'MBR', '氧化沟', 'SBR'] }, 'Polygon')],
      }),
      res('排水防涝应急物资信息', 'drainage', 'risk-control', 'thing', 'quarterly', [
        ['储备点名称', 'C', 100], ...LOCATION, ['物资名称', 'C', 100], ['规格型号', 'C', 50], ['数量', 'N', 8], ['计量单位', 'C', 20],
        ['移动泵车数量', 'N', 4], ['管理单位', 'C', 100], ...CONTACT, ...UPDATED,
      ], {
        features: [supplies(40, ['{community}排水防涝物资储备点', '{road}排涝抢险驻守点{n}'], [50, 2000], '件', { 主要物资: ['移动泵车', '沙袋', '抽水泵', '挡水板'] })],
      }),
      res('排水管网检测与隐患信息', 'drainage', 'risk-control', 'event', 'quarterly', [
        ['检测编号', 'C', 32], ['管段编号', 'C', 32], ['所在道路', 'C', 100], ['检测方法', 'C', 20], ['检测日期', 'T', 8],
        ['缺陷类型', 'C', 50], ['缺陷等级', 'C', 10], ['修复建议', 'M', 500], ['修复状态', 'C', 20], ['检测单位', 'C', 100],
      ], { mode: 'file' }),
      res('城市内涝积水统计信息', 'drainage', 'statistics', 'event', 'irregular', [
        ...STATS, ['降雨过程', 'C', 100], ['最大小时雨量（毫米）', 'N', 8], ['积水点数量', 'N', 6], ['最大积水深度（厘米）', 'N', 6],
        ['交通中断路段数', 'N', 6], ['出动抢险人次', 'N', 8], ...REMARK,
      ], { mode: 'file', share: 'unconditional', sensitivity: 'public' }),
    ]),
    districtSystem('渝北区城市供水安全监管系统', {
      builder: CITY_BUILDER, operator: '渝北区城市供水节水管理所',
      modes: ['database'], networks: GOV, security: 'level2',
    }, [
      res('供水管网基础信息', 'water-supply', 'basic', 'thing', 'quarterly', [
        ...PIPE, ['设计压力（MPa）', 'N', 8], ['接口形式', 'C', 50], ['供水分区', 'C', 50], ...AREA, ...UPDATED,
      ], {
        features: [pipes(1200, ['{road}给水主管段{n}', '{road}配水管段{n}', '{community}小区供水管段{n}'], {
          管径: ['DN150', 'DN200', 'DN300', 'DN500', 'DN800', 'DN1200'], 材质: ['球墨铸铁', '钢管', 'PE', 'PCCP'],
        })],
      }),
      res('供水厂基础信息', 'water-supply', 'basic', 'place', 'yearly', [
        ['水厂名称', 'C', 100], ...LOCATION, ['设计规模（万吨/日）', 'N', 8], ['水源名称', 'C', 100], ['水源类型', 'C', 20], ['处理工艺', 'C', 100],
        ['供水范围', 'M', 500], ['运营单位', 'C', 100], ...CONTACT, ...UPDATED,
      ], {
        features: [facilities(12, ['{community}自来水厂', '{community}水厂'], { 水源类型: ['江河', '水库'] }, 'Polygon')],
      }),
      res('供水管网压力监测数据', 'water-supply', 'monitoring', 'thing', 'realtime', [
        ...SENSOR_SITE, ...SENSOR, ['管段编号', 'C', 32], ['管网压力（MPa）', 'N', 8], ['瞬时流量（立方米/小时）', 'N', 10],
      ], {
        mode: 'api',
        features: [monitors(400, ['{road}供水管网测压点{n}', '{community}供水流量计{n}'], { 监测指标: ['压力', '流量'] })],
      }),
      res('供水水质在线监测数据', 'water-supply', 'monitoring', 'thing', 'realtime', [
        ...SENSOR_SITE, ['采样点类型', 'C', 20], ['余氯（毫克/升）', 'N', 8], ['浊度（NTU）', 'N', 8], ['pH值', 'N', 6], ['电导率', 'N', 8],
        ['是否超标', 'L', 1], ['采集时间', 'T', 8],
      ], { mode: 'api' }),
      res('二次供水设施信息', 'water-supply', 'basic', 'thing', 'yearly', [
        ['设施编号', 'C', 32], ['小区名称', 'C', 100], ...LOCATION, ['设施类型', 'C', 50], ['水箱容积（立方米）', 'N', 8], ['服务户数', 'N', 6],
        ['管理单位', 'C', 100], ['最近清洗日期', 'T', 8], ...CONTACT,
      ]),
      res('供水企业信息', 'water-supply', 'basic', 'people', 'yearly', [
        ...ORG, ['注册地址', 'C', 200], ['供水能力（万吨/日）', 'N', 8], ['供水服务人口（万人）', 'N', 8], ['卫生许可证号', 'C', 50], ...CONTACT,
      ], { share: 'unconditional', sensitivity: 'public', mode: 'file' }),
      res('供水管网爆管漏损事件信息', 'water-supply', 'risk-control', 'event', 'irregular', [
        ...EVENT, ['管段编号', 'C', 32], ...LOCATION, ['停水范围', 'M', 500], ['影响户数', 'N', 8], ['恢复供水时间', 'T', 8],
      ]),
      res('供水运行统计信息', 'water-supply', 'statistics', 'thing', 'monthly', [
        ...STATS, ['供水总量（万吨）', 'N', 12], ['售水量（万吨）', 'N', 12], ['漏损率', 'N', 6], ['水质合格率', 'N', 6], ['爆管次数', 'N', 6],
        ...REMARK,
      ], { mode: 'file' }),
    ]),
    districtSystem('渝北区城市边坡挡墙安全管理系统', {
      builder: CITY_BUILDER, operator: '渝北区市政设施管理所',
      modes: [], networks: ['gov-extranet', 'lan'], status: 'building', security: 'unrated',
    }, [
      res('城市边坡基础信息', 'slope', 'basic', 'place', 'yearly', [
        ...RISK, ...LOCATION, ['边坡类型', 'C', 50], ['坡高（米）', 'N', 8], ['坡长（米）', 'N', 8], ['坡度', 'N', 6], ['支护形式', 'C', 50],
        ['安全等级', 'C', 10], ['管养单位', 'C', 100],
      ], {
        features: [riskPoints(300, ['{road}边坡{n}号', '{community}挡墙{n}号', '{road}高切坡{n}号'], {
          边坡类型: ['土质边坡', '岩质边坡', '挡土墙', '土岩混合边坡'], 支护形式: ['重力式挡墙', '锚杆框格梁', '抗滑桩', '喷锚支护'],
        })],
      }),
      res('边坡位移监测数据', 'slope', 'monitoring', 'thing', 'realtime', [
        ['边坡编号', 'C', 32], ...SENSOR_SITE, ...SENSOR, ['水平位移（毫米）', 'N', 8], ['垂直位移（毫米）', 'N', 8], ['累计位移（毫米）', 'N', 10],
      ], {
        mode: 'api',
        features: [monitors(250, ['{road}边坡位移监测点{n}', '{community}挡墙倾斜监测点{n}'], { 监测指标: ['GNSS位移', '倾斜', '裂缝', '土压力'] })],
      }),
      res('边坡巡查记录', 'slope', 'risk-control', 'event', 'monthly', [
        ['边坡编号', 'C', 32], ['边坡名称', 'C', 100], ...INSPECTION, ['排水设施状况', 'C', 50], ...PHOTO,
      ]),
      res('边坡治理工程信息', 'slope', 'risk-control', 'event', 'irregular', [
        ['工程编号', 'C', 32], ['工程名称', 'C', 200], ['边坡编号', 'C', 32], ['治理措施', 'M', 500], ['治理规模', 'C', 100],
        ['总投资（万元）', 'Y', 18], ['开工日期', 'T', 8], ['竣工日期', 'T', 8], ['设计单位', 'C', 100], ['施工单位', 'C', 100],
        ['监理单位', 'C', 100], ['验收结论', 'C', 50],
      ], { mode: 'file' }),
      res('边坡安全评估信息', 'slope', 'risk-management', 'thing', 'yearly', [
        ['边坡编号', 'C', 32], ['边坡名称', 'C', 100], ['评估日期', 'T', 8], ['下次评估日期', 'T', 8], ['评估单位', 'C', 100], ['稳定性系数', 'N', 8], ['稳定性评价', 'C', 20],
        ['危害对象', 'M', 500], ['风险等级', 'C', 10], ['处置建议', 'M', 500], ['评估报告', 'G', 255],
      ], { mode: 'file' }),
      res('边坡隐患统计信息', 'slope', 'statistics', 'thing', 'quarterly', [
        ...STATS, ['边坡总数', 'N', 6], ['重大风险边坡数', 'N', 6], ['较大风险边坡数', 'N', 6], ['在测边坡数', 'N', 6], ['治理完成数', 'N', 6],
        ...REMARK,
      ], { mode: 'file' }),
    ]),
    upperSystem('重庆市数字化城市管理平台', 'municipal', {
      builder: '重庆市城市管理局', operator: '渝北区数字化城市管理中心', deployment: 'gov-cloud', security: 'level3',
      modes: ['api'], networks: GOV,
    }),
  ],
}

// 区交通局 -----------------------------------------------------------------------------------------
const TRAFFIC_BUILDER = '渝北区交通运输委员会'
const VEHICLE: Items = [['车牌号码', 'C', 20], ['车牌颜色', 'C', 10], ['车辆类型', 'C', 50], ['道路运输证号', 'C', 50], ['所属企业', 'C', 100]]

const TRANSPORT: DemoDepartment = {
  name: '渝北区交通局',
  shortName: '区交通局',
  reporting: 'on-time',
  diligence: 0.84,
  reviewer: '黄某某',
  filler: '罗某',
  phone: '023-67815236',
  systems: [
    districtSystem('渝北区交通运输综合监管平台', {
      builder: TRAFFIC_BUILDER, operator: '渝北区交通运输综合行政执法支队',
      modes: ['database', 'api'], networks: ['gov-extranet', 'internet'], security: 'level3',
    }, [
      res('桥梁基础信息', 'bridge', 'basic', 'thing', 'yearly', BRIDGE_ITEMS, {
        mode: 'file',
        features: [facilities(180, ['{community}公路桥{n}号', '{road}跨线桥{n}', '{community}大桥'], {
          桥梁类型: ['梁桥', '拱桥', '刚构桥'], 公路等级: ['国道', '省道', '县道', '乡道', '村道'],
        })],
      }),
      res('公路隧道基础信息', 'tunnel', 'basic', 'thing', 'yearly', [
        ['隧道编号', 'C', 32], ['隧道名称', 'C', 100], ['路线编号', 'C', 20], ['中心桩号', 'C', 20], ...AREA, ...COORDS,
        ['隧道长度（米）', 'N', 10], ['隧道类别', 'C', 20], ['建成年份', 'N', 4], ['技术状况等级', 'C', 10], ['管养单位', 'C', 100], ...UPDATED,
      ], {
        mode: 'file',
        features: [facilities(25, ['{community}公路隧道{n}', '{community}隧道'], { 隧道类别: ['长隧道', '中隧道', '短隧道'] })],
      }),
      res('重点营运车辆基础信息', 'traffic', 'basic', 'thing', 'monthly', [
        ...VEHICLE, ['经营范围', 'C', 200], ['核定载客（人）', 'N', 4], ['核定载质量（吨）', 'N', 8], ['车辆年审有效期', 'T', 8],
        ['卫星定位终端号', 'C', 32], ['驾驶员姓名', 'C', 50], ['驾驶员从业资格证号', 'C', 50], ...UPDATED,
      ], { sensitivity: 'restricted' }),
      res('重点营运车辆动态轨迹', 'traffic', 'monitoring', 'event', 'realtime', [
        ['车牌号码', 'C', 20], ['车牌颜色', 'C', 10], ['定位时间', 'T', 8], ...COORDS, ['海拔高度', 'N', 8], ['行驶速度（公里/小时）', 'N', 6],
        ['行驶方向', 'N', 4], ['里程（公里）', 'N', 10], ['车辆状态', 'C', 20], ['所在道路', 'C', 100],
      ], { mode: 'api', sensitivity: 'restricted', share: 'none' }),
      res('两客一危车辆报警信息', 'traffic', 'monitoring', 'event', 'realtime', [
        ['报警编号', 'C', 32], ['车牌号码', 'C', 20], ['所属企业', 'C', 100], ['报警类型', 'C', 50], ['报警时间', 'T', 8], ...COORDS,
        ['报警时速度', 'N', 6], ['处理状态', 'C', 20], ['处理结果', 'M', 500], ['处理人', 'C', 50],
      ], { mode: 'api', sensitivity: 'restricted' }),
      res('道路运输企业信息', 'traffic', 'basic', 'people', 'quarterly', [
        ...ORG, ['经营许可证号', 'C', 50], ['经营范围', 'C', 200], ['车辆总数', 'N', 6], ['危险货物运输车辆数', 'N', 6], ['注册地址', 'C', 200],
        ['安全负责人', 'C', 50], ...CONTACT, ...UPDATED,
      ], { share: 'unconditional', sensitivity: 'public' }),
      res('轨道交通车站出入口内涝风险信息', 'traffic', 'risk-management', 'place', 'yearly', [
        ...RISK, ['线路名称', 'C', 50], ['车站名称', 'C', 100], ['设施类型', 'C', 50], ...COORDS, ['出入口标高（米）', 'N', 8],
        ['周边地面标高（米）', 'N', 8], ['防淹挡板配置', 'C', 100],
      ], {
        features: [riskPoints(80, ['{community}轨道站出入口内涝风险点{n}', '{community}轨道风井内涝风险点', '{community}车辆段出入段线内涝风险点'], {
          设施类型: ['车站出入口', '出入段线', '风井', '冷却塔'],
        })],
      }),
      res('轨道交通车站大客流风险点信息', 'traffic', 'risk-management', 'place', 'quarterly', [
        ...RISK, ['线路名称', 'C', 50], ['车站名称', 'C', 100], ...COORDS, ['日均客流（人次）', 'N', 10], ['高峰小时客流（人次）', 'N', 10],
        ['限流措施', 'M', 500],
      ], {
        features: [riskPoints(60, ['{community}轨道站大客流风险点', '{community}换乘站客流拥堵点{n}'], { 客流特征: ['早高峰进站', '晚高峰出站', '换乘拥堵', '节假日大客流'] })],
      }),
      res('轨道交通站内外大客流监测数据', 'traffic', 'monitoring', 'thing', 'realtime', [
        ['车站名称', 'C', 100], ...SENSOR, ['进站客流（人次）', 'N', 8], ['出站客流（人次）', 'N', 8], ['站厅人员密度（人/平方米）', 'N', 6],
        ['客流预警等级', 'C', 10],
      ], {
        mode: 'api',
        features: [monitors(60, ['{community}轨道站客流监测点{n}', '{community}站厅客流计数器{n}'], { 监测指标: ['进站客流', '出站客流', '人员密度'] })],
      }),
      res('铁路沿线500米范围轻飘物和硬飘物隐患信息', 'traffic', 'risk-control', 'place', 'monthly', [
        ...RISK, ['铁路线名', 'C', 50], ['里程位置', 'C', 50], ...AREA, ...COORDS, ['飘浮物类型', 'C', 50], ['距铁路距离（米）', 'N', 8],
        ['整治状态', 'C', 20], ...PHOTO,
      ], {
        features: [riskPoints(200, ['{community}铁路沿线飘浮物隐患点{n}', '{community}铁路沿线彩钢棚隐患点{n}'], {
          飘浮物类型: ['塑料薄膜', '彩钢瓦', '防尘网', '广告布', '农用大棚'],
        })],
      }),
      res('铁路安全保护区地表沉降监测数据', 'traffic', 'monitoring', 'thing', 'daily', [
        ['铁路线名', 'C', 50], ['里程位置', 'C', 50], ...SENSOR, ['单次沉降量（毫米）', 'N', 8], ['累计沉降量（毫米）', 'N', 10], ['沉降速率', 'N', 8],
      ], {
        mode: 'api',
        features: [monitors(80, ['{community}铁路保护区沉降监测点{n}'], { 监测指标: ['地表沉降', '水平位移'] })],
      }),
      res('交通运输安全生产统计信息', 'traffic', 'statistics', 'event', 'monthly', [
        ...STATS, ['道路运输事故起数', 'N', 6], ['死亡人数', 'N', 6], ['受伤人数', 'N', 6], ['动态监控报警数', 'N', 8], ['报警处置率', 'N', 6],
        ['执法检查次数', 'N', 6], ...REMARK,
      ], { mode: 'file' }),
    ]),
    districtSystem('渝北区农村公路管理信息系统', {
      builder: TRAFFIC_BUILDER, operator: '渝北区农村公路管理所',
      modes: ['file'], networks: GOV, status: 'out-of-warranty', security: 'unrated',
    }, [
      res('农村公路路线基础信息', 'traffic', 'basic', 'place', 'yearly', [
        ['路线编号', 'C', 20], ['路线名称', 'C', 100], ['技术等级', 'C', 20], ['起点桩号', 'C', 20], ['终点桩号', 'C', 20],
        ['里程（公里）', 'N', 10], ['路面类型', 'C', 50], ['路基宽度（米）', 'N', 6], ['途经街镇', 'C', 200], ['管养单位', 'C', 100], ...UPDATED,
      ], { mode: 'file' }),
      res('农村公路危桥信息', 'bridge', 'risk-management', 'thing', 'quarterly', [
        ...RISK, ['桥梁名称', 'C', 100], ['路线编号', 'C', 20], ...COORDS, ['技术状况等级', 'C', 10], ['限载吨位', 'N', 6], ['改造计划', 'M', 500],
      ], {
        mode: 'file',
        features: [riskPoints(40, ['{community}危桥{n}', '{community}四类桥{n}号'], { 技术状况等级: ['4类', '5类'] })],
      }),
      res('公路高边坡隐患信息', 'slope', 'risk-management', 'place', 'quarterly', [
        ...RISK, ['路线编号', 'C', 20], ['桩号范围', 'C', 50], ...COORDS, ['坡高（米）', 'N', 8], ['边坡类型', 'C', 50], ['防护措施', 'C', 200],
      ], {
        mode: 'file',
        features: [riskPoints(90, ['{community}公路高边坡{n}', '{community}公路落石隐患点{n}'], { 边坡类型: ['路堑边坡', '路堤边坡', '危岩'] })],
      }),
      res('农村公路安全生命防护工程信息', 'traffic', 'risk-control', 'place', 'yearly', [
        ['项目编号', 'C', 32], ['路线编号', 'C', 20], ['桩号范围', 'C', 50], ['隐患类型', 'C', 50], ['防护措施', 'M', 500],
        ['实施长度（公里）', 'N', 8], ['投资（万元）', 'Y', 18], ['完成日期', 'T', 8], ['验收日期', 'T', 8], ['实施单位', 'C', 100],
        ...AREA,
      ], { mode: 'file' }),
      res('公路水毁抢修记录', 'traffic', 'risk-control', 'event', 'irregular', [
        ...EVENT, ['路线编号', 'C', 20], ['桩号', 'C', 20], ...COORDS, ['损毁情况', 'M', 500], ['抢通时间', 'T', 8], ['抢修费用（万元）', 'Y', 18],
      ], { mode: 'file' }),
    ]),
    upperSystem('全国道路货运车辆公共监管与服务平台', 'national', {
      builder: '中华人民共和国交通运输部', operator: '渝北区交通运输综合行政执法支队', deployment: 'other', security: 'level3',
      modes: [], networks: ['internet'],
    }),
    upperSystem('重庆市道路运输安全监管平台', 'municipal', {
      builder: '重庆市交通运输委员会', operator: '渝北区交通运输综合行政执法支队', deployment: 'gov-cloud', security: 'level3',
      modes: ['api'], networks: GOV,
    }),
  ],
}

// 区水利局 -----------------------------------------------------------------------------------------
const WATER_BUILDER = '渝北区水利局'
const STATION: Items = [['测站编码', 'C', 20], ['测站名称', 'C', 100], ...AREA, ...COORDS]

const WATER: DemoDepartment = {
  name: '渝北区水利局',
  shortName: '区水利局',
  reporting: 'on-time',
  diligence: 0.92,
  reviewer: '吴某某',
  filler: '郑某',
  phone: '023-67816047',
  systems: [
    districtSystem('渝北区水雨情监测预警系统', {
      builder: WATER_BUILDER, operator: '渝北区水旱灾害防御中心',
      modes: ['database', 'api'], networks: ['gov-extranet', 'internet'], security: 'level2',
    }, [
      res('雨量站监测数据', 'flood-drought', 'monitoring', 'thing', 'realtime', [
        ...STATION, ['时段降雨量（毫米）', 'N', 8], ['时段长（小时）', 'N', 4], ['日降雨量（毫米）', 'N', 8], ['累计降雨量（毫米）', 'N', 10],
        ['预警等级', 'C', 10], ['采集时间', 'T', 8],
      ], {
        mode: 'api', share: 'unconditional', sensitivity: 'public',
        features: [monitors(120, ['{community}雨量站', '{community}{n}号自动雨量站', '{community}山洪监测雨量站{n}'], { 站类: ['自动雨量站', '简易雨量站'] })],
      }),
      res('水位站监测数据', 'flood-drought', 'monitoring', 'thing', 'realtime', [
        ...STATION, ['水位（米）', 'N', 8], ['警戒水位（米）', 'N', 8], ['保证水位（米）', 'N', 8], ['流量（立方米/秒）', 'N', 10],
        ['水势', 'C', 10], ['超警幅度（米）', 'N', 8], ['采集时间', 'T', 8],
      ], {
        mode: 'api', share: 'unconditional', sensitivity: 'public',
        features: [monitors(80, ['{community}河道水位站', '{community}水库水位站', '{community}溪河水位站{n}'], { 站类: ['河道水位站', '水库水位站', '视频水位站'] })],
      }),
      res('水库基础信息', 'flood-drought', 'basic', 'place', 'yearly', [
        ['水库编码', 'C', 20], ['水库名称', 'C', 100], ...AREA, ...COORDS, ['工程规模', 'C', 20], ['总库容（万立方米）', 'N', 10],
        ['正常蓄水位（米）', 'N', 8], ['汛限水位（米）', 'N', 8], ['坝型', 'C', 50], ['坝高（米）', 'N', 6], ['主管部门', 'C', 100],
        ['行政责任人', 'C', 50], ['技术责任人', 'C', 50], ['巡查责任人', 'C', 50],
      ], {
        features: [facilities(90, ['{community}水库', '{community}{n}号山坪塘'], { 工程规模: ['中型', '小（1）型', '小（2）型'] }, 'Polygon')],
      }),
      res('水库大坝安全监测数据', 'flood-drought', 'monitoring', 'thing', 'daily', [
        ['水库编码', 'C', 20], ['水库名称', 'C', 100], ...SENSOR, ['库水位（米）', 'N', 8], ['渗流量（升/秒）', 'N', 8], ['坝体位移（毫米）', 'N', 8],
      ], { mode: 'api' }),
      res('山洪灾害危险区信息', 'flood-drought', 'risk-management', 'place', 'yearly', [
        ...RISK, ...AREA, ...COORDS, ['所在小流域', 'C', 100], ['危险区等级', 'C', 10], ['影响户数', 'N', 6], ['影响人口', 'N', 8],
        ['预警指标', 'C', 200], ['转移路线', 'M', 500], ['安置点', 'C', 200],
      ], {
        features: [riskPoints(150, ['{community}山洪危险区{n}', '{community}沿河村落山洪风险点{n}'], { 危险区等级: ['极高危险区', '高危险区', '危险区'] })],
      }),
      res('河道基础信息', 'flood-drought', 'basic', 'place', 'yearly', [
        ['河流编码', 'C', 20], ['河流名称', 'C', 100], ['上级河流', 'C', 100], ['区内长度（公里）', 'N', 8], ['流域面积（平方公里）', 'N', 10],
        ['流经街镇', 'C', 200], ['防洪标准', 'C', 50], ['河长', 'C', 50], ...UPDATED,
      ], { share: 'unconditional', sensitivity: 'public', mode: 'file' }),
      res('水旱灾害防御责任人信息', 'flood-drought', 'risk-control', 'people', 'yearly', [
        ...PERSON, ['责任类别', 'C', 50], ['责任对象', 'C', 100], ...AREA, ['落实日期', 'T', 8],
      ], { sensitivity: 'restricted', mode: 'file' }),
      res('防汛抗旱物资储备信息', 'flood-drought', 'risk-control', 'thing', 'quarterly', [
        ['仓库名称', 'C', 100], ...LOCATION, ['物资名称', 'C', 100], ['规格型号', 'C', 50], ['储备数量', 'N', 8], ['计量单位', 'C', 20],
        ['储备金额（万元）', 'Y', 18], ['管理单位', 'C', 100], ...CONTACT, ...UPDATED,
      ], {
        features: [supplies(80, ['{community}防汛物资仓库', '{community}防汛抗旱物资储备点{n}'], [100, 5000], '件', {
          主要物资: ['冲锋舟', '救生衣', '编织袋', '抽水泵', '发电机'],
        })],
      }),
      res('旱情监测信息', 'flood-drought', 'monitoring', 'place', 'weekly', [
        ['监测日期', 'T', 8], ...AREA, ['土壤墒情（%）', 'N', 6], ['受旱面积（亩）', 'N', 10], ['饮水困难人口', 'N', 8], ['旱情等级', 'C', 10],
        ['蓄水总量（万立方米）', 'N', 10], ['水库蓄水率（%）', 'N', 6], ['降水量距平（%）', 'N', 6],
        ['河道断流条数', 'N', 4], ...REMARK,
      ], { mode: 'file' }),
      res('水旱灾害灾情统计信息', 'flood-drought', 'statistics', 'event', 'irregular', [
        ...STATS, ['灾害类型', 'C', 20], ['受灾人口', 'N', 8], ['转移人口', 'N', 8], ['农作物受灾面积（亩）', 'N', 10],
        ['损毁水利设施（处）', 'N', 6], ['直接经济损失（万元）', 'Y', 18], ...REMARK,
      ], { mode: 'file' }),
    ]),
    districtSystem('渝北区农村供水工程管理信息系统', {
      builder: WATER_BUILDER, operator: '渝北区农村供水管理站',
      modes: ['file'], networks: GOV, security: 'unrated',
    }, [
      res('农村供水工程基础信息', 'water-supply', 'basic', 'place', 'yearly', [
        ['工程编码', 'C', 32], ['工程名称', 'C', 100], ...LOCATION, ['工程类型', 'C', 50], ['设计供水规模（立方米/日）', 'N', 10],
        ['受益人口', 'N', 8], ['水源类型', 'C', 20], ['净化消毒方式', 'C', 50], ['管护单位', 'C', 100], ...CONTACT,
      ], {
        mode: 'file',
        features: [facilities(60, ['{community}集中供水工程', '{community}{n}号农村供水站'], { 工程类型: ['千吨万人', '千人以上', '千人以下'] })],
      }),
      res('农村供水水质检测信息', 'water-supply', 'monitoring', 'thing', 'monthly', [
        ['工程编码', 'C', 32], ['采样日期', 'T', 8], ['采样点', 'C', 100], ['检测指标数', 'N', 4], ['浑浊度', 'N', 8], ['菌落总数', 'N', 8],
        ['余氯', 'N', 8], ['检测结论', 'C', 20], ['检测机构', 'C', 100],
      ], { mode: 'file' }),
      res('农村供水管网基础信息', 'water-supply', 'basic', 'thing', 'yearly', [
        ['工程编码', 'C', 32], ['管段编号', 'C', 32], ['管径', 'N', 8], ['材质', 'C', 50], ['长度（米）', 'N', 10], ['敷设年份', 'N', 4],
        ['途经村社', 'C', 200], ['运行状态', 'C', 20], ['压力等级', 'C', 20], ['管护单位', 'C', 100], ...UPDATED,
      ], { mode: 'file' }),
      res('农村饮水安全保障人口统计', 'water-supply', 'statistics', 'people', 'yearly', [
        ...STATS, ['农村人口', 'N', 8], ['集中供水人口', 'N', 8], ['自来水普及率', 'N', 6], ['水质达标率', 'N', 6], ...REMARK,
      ], { mode: 'file', share: 'unconditional', sensitivity: 'public' }),
      res('农村供水工程运行管护信息', 'water-supply', 'risk-control', 'event', 'quarterly', [
        ['工程编码', 'C', 32], ...INSPECTION, ['停水时长（小时）', 'N', 6], ['维修费用（万元）', 'Y', 18],
      ], { mode: 'file' }),
    ]),
    upperSystem('重庆市山洪灾害监测预警平台', 'municipal', {
      builder: '重庆市水利局', operator: '渝北区水旱灾害防御中心', security: 'level3', modes: ['api'], networks: GOV,
    }),
    upperSystem('全国水库大坝安全管理信息系统', 'national', {
      builder: '中华人民共和国水利部', operator: WATER_BUILDER, deployment: 'other', modes: [], networks: ['internet'],
    }),
  ],
}

// 区应急局 -----------------------------------------------------------------------------------------
const EMERGENCY_BUILDER = '渝北区应急管理局'

const EMERGENCY: DemoDepartment = {
  name: '渝北区应急局',
  shortName: '区应急局',
  reporting: 'on-time',
  diligence: 0.95,
  reviewer: '孙某某',
  filler: '马某',
  phone: '023-67817265',
  systems: [
    districtSystem('渝北区安全生产监管执法信息系统', {
      builder: EMERGENCY_BUILDER, operator: '渝北区应急管理综合行政执法支队',
      modes: ['database', 'api'], networks: GOV, security: 'level3',
    }, [
      res('危险化学品企业基础信息', 'hazardous-chemicals', 'basic', 'people', 'quarterly', [
        ...ORG, ['企业类型', 'C', 50], ...LOCATION, ['主要危险化学品', 'M', 500], ['涉及危险化工工艺', 'C', 200], ['从业人员数', 'N', 6],
        ['安全生产标准化等级', 'C', 20], ['主要负责人', 'C', 50], ...CONTACT, ...UPDATED,
      ], {
        features: [hazards(180, ['{community}{n}号危险化学品仓储企业', '{road}化工企业{n}', '{community}工业园危化品经营企业{n}'], [200, 1500], {
          企业类型: ['生产', '储存', '经营（带储存）', '使用'], 主要危险化学品: ['液氨', '甲醇', '盐酸', '硫酸', '乙炔', '氯气'],
        })],
      }),
      res('危险化学品重大危险源信息', 'hazardous-chemicals', 'risk-management', 'thing', 'quarterly', [
        ['单位名称', 'C', 100], ['统一社会信用代码', 'C', 18], ['危险源名称', 'C', 100], ...HAZARD, ...LOCATION, ['备案日期', 'T', 8],
        ['包保责任人', 'C', 50], ...CONTACT,
      ], {
        features: [hazards(40, ['{community}危化品重大危险源{n}', '{road}储罐区重大危险源{n}'], [500, 2500], { 危险源等级: ['一级', '二级', '三级', '四级'] })],
      }),
      res('危险化学品重大危险源在线监测数据', 'hazardous-chemicals', 'monitoring', 'thing', 'realtime', [
        ['危险源编号', 'C', 32], ['单位名称', 'C', 100], ...SENSOR, ['储罐编号', 'C', 32], ['液位', 'N', 8], ['温度', 'N', 6], ['压力', 'N', 8],
        ['有毒气体浓度', 'N', 8], ['可燃气体浓度', 'N', 8],
      ], {
        mode: 'api',
        features: [monitors(150, ['{community}危化储罐液位监测点{n}', '{road}可燃有毒气体探测点{n}'], { 监测指标: ['液位', '温度', '压力', '可燃气体', '有毒气体'] })],
      }),
      res('加油加气站基础信息', 'hazardous-chemicals', 'basic', 'place', 'yearly', [
        ...ORG, ['站点名称', 'C', 100], ...LOCATION, ['站点等级', 'C', 20], ['储罐总容积（立方米）', 'N', 8], ['经营品种', 'C', 100], ...PERMIT,
        ...CONTACT,
      ], {
        features: [hazards(150, ['{road}加油站', '{community}加气站', '{road}{n}号加油加气合建站'], [100, 500], { 站点等级: ['一级', '二级', '三级'] })],
      }),
      res('烟花爆竹批发企业及仓库信息', 'fireworks', 'basic', 'place', 'yearly', [
        ...ORG, ['仓库名称', 'C', 100], ...LOCATION, ['库房数量', 'N', 4], ['核定存药量（吨）', 'N', 8], ['危险等级', 'C', 10], ['外部安全距离（米）', 'N', 8],
        ...PERMIT, ...CONTACT,
      ], {
        features: [hazards(12, ['{community}烟花爆竹仓库{n}', '{community}烟花爆竹批发企业仓储区'], [300, 1500], { 危险等级: ['1.1级', '1.3级'] })],
      }),
      res('烟花爆竹零售经营点信息', 'fireworks', 'basic', 'place', 'irregular', [
        ['零售点名称', 'C', 100], ['经营者', 'C', 50], ...LOCATION, ['经营场所面积（平方米）', 'N', 8], ['限制存放量（箱）', 'N', 6], ...PERMIT,
        ['经营期限', 'C', 50], ...CONTACT,
      ], {
        features: [hazards(220, ['{community}烟花爆竹零售点{n}', '{road}烟花爆竹临时销售点{n}'], [30, 150], { 经营类型: ['固定零售点', '春节临时零售点'] })],
      }),
      res('烟花爆竹经营许可证信息', 'fireworks', 'basic', 'people', 'irregular', [
        ['单位名称', 'C', 100], ['统一社会信用代码', 'C', 18], ['主要负责人', 'C', 50], ['经营类别', 'C', 20], ...PERMIT, ['注册地址', 'C', 200],
        ['经营场所', 'C', 200], ['许可范围', 'C', 200],
      ], { share: 'unconditional', sensitivity: 'public', mode: 'file' }),
      res('安全生产行政执法检查记录', 'hazardous-chemicals', 'risk-control', 'event', 'daily', [
        ['单位名称', 'C', 100], ['统一社会信用代码', 'C', 18], ['行业类别', 'C', 50], ...INSPECTION, ['执法文书编号', 'C', 50],
        ['行政处罚', 'L', 1], ['罚款金额（元）', 'Y', 18],
      ]),
      res('企业安全风险分级管控信息', 'hazardous-chemicals', 'risk-management', 'event', 'monthly', [
        ['单位名称', 'C', 100], ['统一社会信用代码', 'C', 18], ['风险单元', 'C', 100], ['风险点位置', 'C', 200], ['可能导致的事故类型', 'C', 100], ['风险描述', 'M', 500],
        ['风险等级', 'C', 10], ['管控状态', 'C', 20],
        ['管控层级', 'C', 20], ['管控措施', 'M', 500], ['责任人', 'C', 50], ['辨识日期', 'T', 8],
      ]),
      res('企业隐患排查治理信息', 'hazardous-chemicals', 'risk-control', 'event', 'weekly', [
        ['单位名称', 'C', 100], ['隐患编号', 'C', 32], ['隐患名称', 'C', 200], ['隐患等级', 'C', 10], ['隐患来源', 'C', 50], ['发现日期', 'T', 8],
        ['治理措施', 'M', 500], ['治理资金（万元）', 'Y', 18], ['治理期限', 'T', 8], ['治理状态', 'C', 20], ['验收日期', 'T', 8],
      ]),
      res('生产安全事故信息', 'hazardous-chemicals', 'statistics', 'event', 'irregular', [
        ...EVENT, ['事故单位', 'C', 100], ['行业类别', 'C', 50], ['事故等级', 'C', 20], ['死亡人数', 'N', 4], ['受伤人数', 'N', 4],
        ['直接经济损失（万元）', 'Y', 18], ...LOCATION,
      ], { sensitivity: 'restricted' }),
      res('危险化学品安全生产许可证信息', 'hazardous-chemicals', 'basic', 'people', 'irregular', [
        ['单位名称', 'C', 100], ['统一社会信用代码', 'C', 18], ['主要负责人', 'C', 50], ['许可范围', 'M', 500], ...PERMIT, ['经济类型', 'C', 50],
        ['注册地址', 'C', 200],
      ], { share: 'unconditional', sensitivity: 'public', mode: 'file' }),
    ]),
    districtSystem('渝北区应急指挥综合平台', {
      builder: EMERGENCY_BUILDER, operator: '渝北区应急管理局指挥中心',
      modes: ['database', 'api', 'file'], networks: ['gov-extranet', 'internet'], security: 'level3',
    }, [
      res('应急救援队伍信息', 'hazard-source', 'risk-control', 'people', 'quarterly', [
        ['队伍编号', 'C', 32], ['队伍名称', 'C', 100], ['队伍类型', 'C', 50], ['依托单位', 'C', 100], ...LOCATION, ['队员人数', 'N', 6],
        ['专业特长', 'C', 200], ['主要装备', 'M', 500], ['队长', 'C', 50], ['值班电话', 'C', 20], ...UPDATED,
      ], {
        features: [supplies(120, ['{community}应急救援队', '{community}{n}号专职救援队', '{road}危化品应急救援队'], [10, 120], '人', {
          队伍类型: ['综合救援', '危化救援', '矿山救护', '防汛抢险', '森林消防', '社会救援力量'],
        })],
      }),
      res('应急物资储备库信息', 'hazard-source', 'risk-control', 'place', 'quarterly', [
        ['储备库编号', 'C', 32], ['储备库名称', 'C', 100], ['储备库级别', 'C', 20], ...LOCATION, ['库房面积（平方米）', 'N', 8],
        ['物资种类数', 'N', 6], ['物资总量（件）', 'N', 10], ['管理单位', 'C', 100], ...CONTACT, ...UPDATED,
      ], {
        features: [supplies(60, ['{community}应急物资储备库', '{community}街镇应急物资储备点{n}'], [500, 20000], '件', {
          储备库级别: ['区级', '街镇级', '社区级'],
        })],
      }),
      res('应急避难场所信息', 'earthquake', 'basic', 'place', 'yearly', [
        ['场所编号', 'C', 32], ['场所名称', 'C', 100], ['场所类型', 'C', 50], ...LOCATION, ['占地面积（平方米）', 'N', 10],
        ['有效避难面积（平方米）', 'N', 10], ['可容纳人数', 'N', 8], ['配套设施', 'M', 500], ['管理单位', 'C', 100], ...CONTACT,
      ], {
        share: 'unconditional', sensitivity: 'public',
        features: [supplies(220, ['{community}应急避难场所{n}', '{road}公园应急避难场所', '{community}学校操场避难点'], [500, 30000], '人', {
          场所类型: ['Ⅰ类', 'Ⅱ类', 'Ⅲ类'], 场所性质: ['公园绿地', '学校操场', '体育场馆', '广场'],
        })],
      }),
      res('应急专家信息', 'hazard-source', 'basic', 'people', 'yearly', [
        ...PERSON, ['专业领域', 'C', 100], ['职称', 'C', 50], ['专家类别', 'C', 50], ['入库日期', 'T', 8],
      ], {
        sensitivity: 'restricted',
        features: [supplies(80, ['{community}应急专家依托单位{n}', '{road}安全技术服务机构{n}'], [1, 12], '人', {
          专业领域: ['危险化学品', '地质灾害', '消防', '建筑施工', '燃气', '医疗救护'],
        })],
      }),
      res('应急医疗救护点信息', 'crowded-place', 'risk-control', 'place', 'yearly', [
        ['救护点名称', 'C', 100], ['依托机构', 'C', 100], ...LOCATION, ['床位数', 'N', 6], ['医护人员数', 'N', 6], ['救护车数量', 'N', 4],
        ['专科能力', 'C', 200], ...CONTACT,
      ], {
        features: [supplies(100, ['{community}应急医疗救护点', '{community}社区卫生服务中心救护点', '{road}医院急救站'], [10, 300], '床', {
          机构等级: ['三级', '二级', '一级'],
        })],
      }),
      res('危险源综合清单', 'hazard-source', 'risk-management', 'thing', 'quarterly', [
        ['单位名称', 'C', 100], ['危险源名称', 'C', 100], ['危险源类别', 'C', 50], ...HAZARD, ...LOCATION, ['行业主管部门', 'C', 100],
        ['包保责任人', 'C', 50], ...CONTACT,
      ], {
        features: [hazards(200, ['{community}危险源{n}', '{road}易燃易爆场所{n}', '{community}有限空间作业点{n}'], [200, 1500], {
          危险源类别: ['危险化学品储存', '燃气设施', '易燃易爆场所', '有限空间', '粉尘涉爆'],
        })],
      }),
      res('学校及幼儿园重点防护目标信息', 'crowded-place', 'basic', 'place', 'yearly', [
        ['学校名称', 'C', 100], ['学校类型', 'C', 50], ...LOCATION, ['在校学生数', 'N', 6], ['教职工数', 'N', 6], ['占地面积（平方米）', 'N', 10],
        ['是否应急避难场所', 'L', 1], ...CONTACT,
      ], {
        share: 'unconditional', sensitivity: 'public',
        features: [targets(300, ['{community}小学', '{community}中学', '{community}幼儿园', '{community}第{n}小学', '{road}实验学校'], {
          学校类型: ['幼儿园', '小学', '初中', '高中', '职业学校'], 在校人数: [300, 800, 1500, 2500, 4000],
        })],
      }),
      res('医疗卫生及养老机构重点防护目标信息', 'crowded-place', 'basic', 'place', 'yearly', [
        ['机构名称', 'C', 100], ['机构类型', 'C', 50], ['机构等级', 'C', 20], ...LOCATION, ['床位数', 'N', 6], ['在院人数', 'N', 6],
        ['失能半失能人数', 'N', 6], ...CONTACT,
      ], {
        features: [targets(230, ['{road}医院', '{community}社区卫生服务中心', '{community}敬老院', '{community}养老服务中心{n}'], {
          机构类型: ['综合医院', '专科医院', '社区卫生服务中心', '养老机构'],
        })],
      }),
      res('突发事件接报信息', 'hazard-source', 'monitoring', 'event', 'realtime', [
        ...EVENT, ['事件等级', 'C', 20], ...LOCATION, ['报告单位', 'C', 100], ['报告人', 'C', 50], ['接报时间', 'T', 8], ['伤亡情况', 'M', 500],
      ], { mode: 'api', sensitivity: 'restricted' }),
      res('应急预案信息', 'hazard-source', 'risk-control', 'thing', 'irregular', [
        ['预案编号', 'C', 32], ['预案名称', 'C', 200], ['预案类别', 'C', 50], ['预案级别', 'C', 20], ['修订日期', 'T', 8], ['评审结论', 'C', 50], ['编制单位', 'C', 100], ['发布日期', 'T', 8], ['备案日期', 'T', 8],
        ['适用范围', 'M', 500], ['最近演练日期', 'T', 8], ['预案文本', 'G', 255],
      ], { mode: 'file' }),
      res('应急值守信息统计', 'hazard-source', 'statistics', 'event', 'daily', [
        ...STATS, ['接报事件数', 'N', 6], ['较大以上事件数', 'N', 4], ['值班领导', 'C', 50], ['值班员', 'C', 50], ...REMARK,
      ]),
    ]),
    districtSystem('渝北区自然灾害综合监测预警系统', {
      builder: EMERGENCY_BUILDER, operator: '渝北区地震和自然灾害防治中心',
      modes: ['api'], networks: GOV, status: 'building', security: 'level2',
    }, [
      res('地震监测台站信息', 'earthquake', 'basic', 'place', 'yearly', [
        ['台站代码', 'C', 20], ['台站名称', 'C', 100], ['台站类型', 'C', 50], ...LOCATION, ['观测项目', 'C', 200], ['建成日期', 'T', 8],
        ['运行状态', 'C', 20], ['运维单位', 'C', 100],
      ], {
        features: [monitors(20, ['{community}地震监测台站', '{community}强震动观测点{n}', '{community}地震预警监测站'], { 台站类型: ['测震', '强震动', '地震预警', '前兆'] })],
      }),
      res('地震烈度速报与预警信息', 'earthquake', 'monitoring', 'event', 'realtime', [
        ['地震编号', 'C', 32], ['发震时刻', 'T', 8], ['震中经度', 'N', 12], ['震中纬度', 'N', 12], ['震级', 'N', 4], ['震源深度（千米）', 'N', 6],
        ['参考地名', 'C', 100], ['本区预估烈度', 'N', 4], ['预警时间（秒）', 'N', 6], ['信息类别', 'C', 20],
      ], { mode: 'api', share: 'unconditional', sensitivity: 'public' }),
      res('地震活动断层信息', 'earthquake', 'risk-management', 'place', 'irregular', [
        ['断层编号', 'C', 32], ['断层名称', 'C', 100], ['断层性质', 'C', 50], ['断层走向', 'C', 50], ['倾向倾角', 'C', 50], ['区内长度（千米）', 'N', 8], ['最新活动时代', 'C', 50],
        ['避让距离（米）', 'N', 6], ['途经街镇', 'C', 200], ['探测单位', 'C', 100], ...REMARK,
      ], { mode: 'file' }),
      res('建设工程抗震设防信息', 'earthquake', 'risk-control', 'thing', 'quarterly', [
        ['项目编号', 'C', 32], ['项目名称', 'C', 200], ...AREA, ['建筑类别', 'C', 50], ['抗震设防类别', 'C', 20], ['设防烈度', 'C', 10],
        ['是否开展地震安评', 'L', 1], ['审查日期', 'T', 8], ['审查结论', 'C', 50],
      ]),
      res('自然灾害综合风险普查成果信息', 'earthquake', 'statistics', 'place', 'irregular', [
        ['普查对象编号', 'C', 32], ['普查对象类型', 'C', 50], ...AREA, ['灾种', 'C', 50], ['风险等级', 'C', 10], ['承灾体数量', 'N', 10],
        ['脆弱性评价', 'C', 50], ['成果年份', 'N', 4], ['成果文件', 'G', 255],
      ], { mode: 'file' }),
      res('自然灾害灾情统计信息', 'meteorology', 'statistics', 'event', 'monthly', [
        ...STATS, ['灾害种类', 'C', 50], ['受灾人口', 'N', 8], ['死亡失踪人口', 'N', 6], ['紧急转移安置人口', 'N', 8], ['倒塌房屋（间）', 'N', 6],
        ['农作物受灾面积（公顷）', 'N', 10], ['直接经济损失（万元）', 'Y', 18], ...REMARK,
      ], { mode: 'file' }),
    ]),
    upperSystem('全国安全生产风险监测预警系统', 'national', {
      builder: '中华人民共和国应急管理部', operator: EMERGENCY_BUILDER, deployment: 'other', security: 'level3',
      modes: [], networks: ['gov-extranet', 'internet'],
    }),
    upperSystem('重庆市应急管理综合应用平台', 'municipal', {
      builder: '重庆市应急管理局', operator: '渝北区应急管理局指挥中心', security: 'level3', modes: ['api', 'database'], networks: GOV,
    }),
  ],
}

// 区林业局 — falls behind ---------------------------------------------------------------------------
const FORESTRY: DemoDepartment = {
  name: '渝北区林业局',
  shortName: '区林业局',
  reporting: 'on-time',
  diligence: 0.35,
  reviewer: '徐某某',
  filler: '朱某',
  phone: '023-67818130',
  systems: [
    districtSystem('渝北区森林防火智能监测预警系统', {
      builder: '渝北区林业局', operator: '渝北区森林防火指挥部办公室',
      modes: ['file'], networks: ['gov-extranet', 'internet'], deployment: 'own', status: 'out-of-warranty', security: 'unrated',
    }, [
      res('森林防火视频监测点信息', 'forest-fire', 'monitoring', 'thing', 'realtime', [
        ...SENSOR_SITE, ['设备编号', 'C', 32], ['设备类型', 'C', 50], ['架设高度（米）', 'N', 6], ['监控半径（千米）', 'N', 6], ['在线状态', 'L', 1],
        ['烟火识别告警', 'L', 1], ['告警时间', 'T', 8], ['告警截图', 'G', 255],
      ], {
        features: [monitors(80, ['{community}林区视频监控点{n}', '{community}林火瞭望塔', '{community}森林防火热成像监测点{n}'], {
          设备类型: ['可见光摄像机', '热成像双光谱', '瞭望塔'],
        })],
      }),
      res('森林火险等级预报信息', 'forest-fire', 'monitoring', 'event', 'daily', [
        ['预报日期', 'T', 8], ...AREA, ['火险等级', 'C', 10], ['气温', 'N', 6], ['相对湿度', 'N', 6], ['风力等级', 'N', 4],
        ['连续无降水日数', 'N', 4], ['有效时段', 'C', 50], ['防范建议', 'M', 500], ['发布单位', 'C', 100],
      ], { share: 'unconditional', sensitivity: 'public', mode: 'file' }),
      res('林火卫星热点监测信息', 'forest-fire', 'monitoring', 'event', 'realtime', [
        ['热点编号', 'C', 32], ['发现时间', 'T', 8], ...AREA, ...COORDS, ['地类', 'C', 50], ['核查结果', 'C', 50], ['反馈时间', 'T', 8],
        ['核查人', 'C', 50],
      ], { mode: 'file' }),
      res('森林资源基础信息', 'forest-fire', 'basic', 'place', 'yearly', [
        ['小班编号', 'C', 32], ...AREA, ['林地面积（公顷）', 'N', 10], ['森林类别', 'C', 50], ['优势树种', 'C', 50], ['郁闭度', 'N', 4],
        ['林龄组', 'C', 20], ['权属', 'C', 20], ['可燃物载量等级', 'C', 10],
      ], { mode: 'file' }),
      res('护林员信息', 'forest-fire', 'basic', 'people', 'yearly', [
        ...PERSON, ...AREA, ['管护区域', 'C', 200], ['管护面积（公顷）', 'N', 10], ['聘用日期', 'T', 8],
      ], { mode: 'file', sensitivity: 'restricted', share: 'none' }),
      res('森林防火物资储备库信息', 'forest-fire', 'risk-control', 'place', 'yearly', [
        ['储备库名称', 'C', 100], ...LOCATION, ['风力灭火机（台）', 'N', 6], ['灭火水枪（支）', 'N', 6], ['二号工具（把）', 'N', 6],
        ['储水罐（个）', 'N', 6], ['管理单位', 'C', 100], ...CONTACT,
      ], {
        mode: 'file',
        features: [supplies(40, ['{community}森林防火物资储备库', '{community}林场扑火物资点{n}'], [50, 1500], '件', { 储备级别: ['区级', '镇级', '林场级'] })],
      }),
      res('森林防火检查站及取水点信息', 'forest-fire', 'risk-control', 'place', 'yearly', [
        ['设施名称', 'C', 100], ['设施类型', 'C', 20], ...LOCATION, ['蓄水量（立方米）', 'N', 8], ['值守人数', 'N', 4], ...CONTACT,
      ], {
        mode: 'file',
        features: [facilities(60, ['{community}森林防火检查站', '{community}林区取水点{n}', '{community}消防水池{n}'], { 设施类型: ['检查站', '取水点', '蓄水池'] })],
      }),
      res('森林火灾历史信息', 'forest-fire', 'statistics', 'event', 'yearly', [
        ['火灾编号', 'C', 32], ['起火时间', 'T', 8], ['扑灭时间', 'T', 8], ...AREA, ...COORDS, ['起火原因', 'C', 100], ['过火面积（公顷）', 'N', 10],
        ['受害森林面积（公顷）', 'N', 10], ['火灾等级', 'C', 20],
      ], { mode: 'file' }),
      res('森林防火重点区域信息', 'forest-fire', 'risk-management', 'place', 'yearly', [
        ...RISK, ...AREA, ...COORDS, ['林地面积（公顷）', 'N', 10], ['周边村落', 'C', 200], ['墓地数量', 'N', 6],
      ], {
        mode: 'file',
        features: [riskPoints(100, ['{community}森林火灾高风险区{n}', '{community}林缘坟地防火重点部位{n}'], { 重点部位类型: ['林区', '林缘坟地', '景区林地', '林农交错区'] })],
      }),
    ]),
    upperSystem('全国森林防火信息管理系统', 'national', {
      builder: '国家林业和草原局', operator: '渝北区林业局', deployment: 'other', modes: [], networks: ['internet'],
    }),
  ],
}

// 区公安分局 ---------------------------------------------------------------------------------------
const POLICE_BUILDER = '重庆市公安局渝北区分局'
const POLICE_NET: readonly Network[] = ['lan', 'other']

const POLICE: DemoDepartment = {
  name: '渝北区公安分局',
  shortName: '区公安分局',
  reporting: 'on-time',
  diligence: 0.82,
  reviewer: '高某某',
  filler: '林某',
  phone: '023-67819088',
  systems: [
    districtSystem('渝北区人员密集场所安全管理系统', {
      builder: POLICE_BUILDER, operator: '渝北区公安分局治安支队',
      modes: ['file'], networks: POLICE_NET, deployment: 'own', security: 'level3',
    }, [
      res('人员密集场所基础信息', 'crowded-place', 'basic', 'place', 'quarterly', [
        ['场所编号', 'C', 32], ['场所名称', 'C', 100], ['场所类型', 'C', 50], ...LOCATION, ['建筑面积（平方米）', 'N', 10], ['核定容纳人数', 'N', 8],
        ['日均人流量', 'N', 8], ['安全出口数量', 'N', 4], ['经营单位', 'C', 100], ...CONTACT,
      ], {
        mode: 'file',
        features: [targets(600, ['{community}{n}号商场', '{road}农贸市场', '{community}影剧院', '{road}体育馆', '{community}旅游景区', '{road}客运站'], {
          场所类型: ['商场超市', '农贸市场', '影剧院', '体育场馆', '旅游景区', '交通枢纽', '宗教场所'],
        })],
      }),
      res('大型商业综合体信息', 'crowded-place', 'basic', 'place', 'yearly', [
        ['综合体名称', 'C', 100], ...LOCATION, ['总建筑面积（平方米）', 'N', 10], ['地上层数', 'N', 4], ['地下层数', 'N', 4], ['商户数量', 'N', 6],
        ['节假日峰值客流', 'N', 8], ['消防控制室电话', 'C', 20], ['物业管理单位', 'C', 100],
      ], {
        mode: 'file',
        features: [targets(50, ['{road}购物中心', '{community}商业广场', '{community}{n}号商业综合体'], { 规模: ['5万平方米以下', '5-10万平方米', '10万平方米以上'] }, 'Polygon')],
      }),
      res('大型群众性活动安全许可信息', 'crowded-place', 'risk-control', 'event', 'irregular', [
        ['许可编号', 'C', 32], ['活动名称', 'C', 200], ['承办单位', 'C', 100], ['活动场所', 'C', 200], ...COORDS, ['活动开始时间', 'T', 8],
        ['活动结束时间', 'T', 8], ['预计参加人数', 'N', 8], ['安保力量', 'M', 500], ['许可决定', 'C', 20], ...CONTACT,
      ], { mode: 'file' }),
      res('重点区域人流密度监测数据', 'crowded-place', 'monitoring', 'thing', 'realtime', [
        ['区域编号', 'C', 32], ['区域名称', 'C', 100], ...SENSOR, ['实时人数', 'N', 8], ['人员密度（人/平方米）', 'N', 6], ['承载率', 'N', 6],
      ], {
        mode: 'file', sensitivity: 'restricted',
        features: [monitors(80, ['{community}人流密度监测点{n}', '{road}步行街客流监测点{n}'], { 监测方式: ['视频分析', 'WiFi探针', '闸机计数'] })],
      }),
      res('人员密集场所风险评估信息', 'crowded-place', 'risk-management', 'place', 'quarterly', [
        ...RISK, ['场所名称', 'C', 100], ...COORDS, ['峰值人流（人）', 'N', 8], ['疏散通道评价', 'C', 50],
      ], {
        mode: 'file',
        features: [riskPoints(120, ['{community}人员密集场所风险点{n}', '{road}商圈踩踏风险点{n}'], { 风险类型: ['拥挤踩踏', '火灾', '治安'] })],
      }),
      res('大客流预警处置记录', 'crowded-place', 'risk-control', 'event', 'irregular', [
        ...EVENT, ['区域名称', 'C', 100], ['预警等级', 'C', 10], ['峰值人数', 'N', 8], ['采取措施', 'M', 500], ['出动警力（人）', 'N', 6],
      ], { mode: 'file', sensitivity: 'restricted' }),
      res('治安重点单位信息', 'crowded-place', 'basic', 'people', 'quarterly', [
        ...ORG, ['单位类别', 'C', 50], ...LOCATION, ['保卫负责人', 'C', 50], ['保卫人员数', 'N', 4], ['技防设施', 'C', 200], ...CONTACT,
      ], { mode: 'file', sensitivity: 'restricted', share: 'none' }),
    ]),
    districtSystem('渝北区道路交通安全综合管理系统', {
      builder: POLICE_BUILDER, operator: '渝北区公安分局交巡警支队',
      modes: ['file', 'api'], networks: POLICE_NET, deployment: 'own', security: 'level3',
    }, [
      res('道路交通事故信息', 'traffic', 'statistics', 'event', 'daily', [
        ['事故编号', 'C', 32], ['事故时间', 'T', 8], ['所在道路', 'C', 100], ...COORDS, ['事故形态', 'C', 50], ['天气', 'C', 20],
        ['死亡人数', 'N', 4], ['受伤人数', 'N', 4], ['涉及车辆数', 'N', 4], ['是否涉及危险品车辆', 'L', 1], ['事故认定', 'C', 100],
      ], { mode: 'file', sensitivity: 'restricted' }),
      res('交通事故多发点段信息', 'traffic', 'risk-management', 'place', 'quarterly', [
        ...RISK, ['所在道路', 'C', 100], ...COORDS, ['近三年事故数', 'N', 6], ['主要事故形态', 'C', 100], ['治理措施', 'M', 500],
      ], {
        mode: 'file',
        features: [riskPoints(120, ['{road}事故多发路段{n}', '{road}事故多发交叉口{n}', '{community}急弯陡坡路段{n}'], {
          主要成因: ['急弯陡坡', '视距不良', '交叉口冲突', '行人横穿', '超速'],
        })],
      }),
      res('危险货物运输车辆通行证信息', 'traffic', 'basic', 'thing', 'irregular', [
        ['通行证编号', 'C', 32], ...VEHICLE, ['危险货物类别', 'C', 50], ['运输品名', 'C', 100], ['通行线路', 'M', 500], ['通行时段', 'C', 50],
        ['有效期起', 'T', 8], ['有效期至', 'T', 8],
      ], { mode: 'file', sensitivity: 'restricted' }),
      res('重点车辆驾驶人信息', 'traffic', 'basic', 'people', 'monthly', [
        ...PERSON, ['驾驶证号', 'C', 18], ['准驾车型', 'C', 20], ['初次领证日期', 'T', 8], ['累积记分', 'N', 4], ['驾驶证状态', 'C', 20],
        ['所属企业', 'C', 100],
      ], { mode: 'file', sensitivity: 'restricted', share: 'none' }),
      res('道路交通流量监测数据', 'traffic', 'monitoring', 'thing', 'realtime', [
        ['检测器编号', 'C', 32], ['所在道路', 'C', 100], ...COORDS, ['统计时间', 'T', 8], ['车流量（辆/5分钟）', 'N', 8], ['平均车速', 'N', 6],
        ['时间占有率', 'N', 6], ['拥堵指数', 'N', 6], ['大型车比例', 'N', 6],
      ], {
        mode: 'api',
        features: [monitors(100, ['{road}交通流量监测点{n}', '{road}卡口{n}'], { 设备类型: ['地磁', '线圈', '视频卡口', '微波'] })],
      }),
      res('道路交通安全隐患排查信息', 'traffic', 'risk-control', 'event', 'monthly', [
        ['隐患编号', 'C', 32], ['所在道路', 'C', 100], ...COORDS, ['隐患类型', 'C', 50], ['隐患描述', 'M', 500], ['责任单位', 'C', 100],
        ['发现日期', 'T', 8], ['整改期限', 'T', 8], ['整改状态', 'C', 20],
      ], { mode: 'file' }),
      res('交通管制与道路事件信息', 'traffic', 'monitoring', 'event', 'realtime', [
        ...EVENT, ['所在道路', 'C', 100], ...COORDS, ['管制类型', 'C', 50], ['管制开始时间', 'T', 8], ['预计解除时间', 'T', 8], ['绕行建议', 'M', 500],
      ], { mode: 'api', share: 'unconditional', sensitivity: 'public' }),
    ]),
    districtSystem('渝北区危爆物品安全管理系统', {
      builder: POLICE_BUILDER, operator: '渝北区公安分局治安支队',
      modes: [], networks: POLICE_NET, deployment: 'own', security: 'level3',
    }, [
      res('烟花爆竹道路运输许可信息', 'fireworks', 'risk-control', 'event', 'irregular', [
        ['许可证编号', 'C', 32], ['托运单位', 'C', 100], ['承运单位', 'C', 100], ['车牌号码', 'C', 20], ['驾驶员姓名', 'C', 50], ['押运员姓名', 'C', 50],
        ['烟花爆竹种类', 'C', 100], ['运输数量（箱）', 'N', 8], ['起运地', 'C', 200], ['目的地', 'C', 200], ['运输线路', 'M', 500],
        ['有效期至', 'T', 8],
      ], { mode: 'file', sensitivity: 'restricted' }),
      res('民用爆炸物品储存库信息', 'hazard-source', 'basic', 'place', 'yearly', [
        ['单位名称', 'C', 100], ['库房名称', 'C', 100], ...LOCATION, ...HAZARD, ['库房等级', 'C', 10], ['技防设施', 'C', 200], ['守护人数', 'N', 4],
      ], {
        mode: 'file', sensitivity: 'restricted', share: 'none',
        features: [hazards(8, ['{community}民爆物品储存库{n}', '{community}工程爆破临时储存点'], [500, 1500], { 库房等级: ['A级', 'B级'] })],
      }),
      res('剧毒化学品购买备案信息', 'hazardous-chemicals', 'risk-control', 'event', 'irregular', [
        ['备案编号', 'C', 32], ['购买单位', 'C', 100], ['统一社会信用代码', 'C', 18], ['品名', 'C', 100], ['数量（千克）', 'N', 10], ['用途', 'C', 200],
        ['购买日期', 'T', 8], ['销售单位', 'C', 100], ['经办人', 'C', 50], ['经办人身份证号', 'C', 18],
      ], { mode: 'file', sensitivity: 'restricted' }),
      res('易制爆危险化学品从业单位信息', 'hazardous-chemicals', 'basic', 'people', 'quarterly', [
        ...ORG, ...LOCATION, ['易制爆品种', 'C', 200], ['年使用量（吨）', 'N', 10], ['储存场所', 'C', 200], ['治安保卫负责人', 'C', 50], ...CONTACT,
      ], { mode: 'file', sensitivity: 'restricted' }),
      res('危爆物品安全检查记录', 'hazard-source', 'risk-control', 'event', 'monthly', [
        ['单位名称', 'C', 100], ['检查类型', 'C', 50], ...INSPECTION, ['检查民警', 'C', 50],
      ], { mode: 'file', sensitivity: 'restricted' }),
    ]),
    upperSystem('公安部治安管理信息系统', 'national', {
      builder: '中华人民共和国公安部', operator: POLICE_BUILDER, deployment: 'other', security: 'level3', modes: [], networks: ['other'],
    }),
  ],
}

// 区规划自然资源局 — falls behind ------------------------------------------------------------------
const PLANNING_BUILDER = '渝北区规划和自然资源局'

const PLANNING: DemoDepartment = {
  name: '渝北区规划自然资源局',
  shortName: '区规划自然资源局',
  reporting: 'on-time',
  diligence: 0.42,
  reviewer: '胡某某',
  filler: '郭某',
  phone: '023-67810372',
  systems: [
    districtSystem('渝北区地质灾害监测预警系统', {
      builder: PLANNING_BUILDER, operator: '渝北区地质灾害防治中心',
      modes: ['database', 'file'], networks: ['gov-extranet', 'internet'], security: 'level2',
    }, [
      res('地质灾害隐患点信息', 'geology', 'risk-management', 'place', 'yearly', [
        ['隐患点编号', 'C', 32], ['隐患点名称', 'C', 100], ...LOCATION, ['灾害类型', 'C', 20], ['规模等级', 'C', 10], ['稳定性', 'C', 20],
        ['威胁户数', 'N', 6], ['威胁人数', 'N', 8], ['威胁财产（万元）', 'Y', 18], ['险情等级', 'C', 10], ['防治措施', 'M', 500],
        ['监测责任人', 'C', 50], ...UPDATED,
      ], {
        features: [riskPoints(450, ['{community}地灾隐患点{n}号', '{community}滑坡隐患点{n}', '{community}危岩崩塌隐患点{n}'], {
          灾害类型: ['滑坡', '崩塌', '泥石流', '地面塌陷', '不稳定斜坡'], 规模等级: ['小型', '中型', '大型'],
        })],
      }),
      res('地质灾害专业监测数据', 'geology', 'monitoring', 'thing', 'realtime', [
        ['隐患点编号', 'C', 32], ...SENSOR_SITE, ...SENSOR, ['GNSS位移（毫米）', 'N', 8], ['裂缝宽度（毫米）', 'N', 8], ['倾角', 'N', 8],
        ['含水率', 'N', 6], ['雨量（毫米）', 'N', 8],
      ], {
        mode: 'file',
        features: [monitors(300, ['{community}地灾GNSS位移监测点{n}', '{community}地灾裂缝计{n}', '{community}地灾雨量计{n}'], {
          监测指标: ['GNSS位移', '裂缝', '倾角', '含水率', '雨量'],
        })],
      }),
      res('地质灾害群测群防员信息', 'geology', 'risk-control', 'people', 'yearly', [
        ...PERSON, ...AREA, ['负责隐患点编号', 'C', 200], ['巡查频次', 'C', 20], ['培训日期', 'T', 8],
      ], { mode: 'file', sensitivity: 'restricted', share: 'none' }),
      res('地质灾害避险搬迁信息', 'geology', 'risk-control', 'people', 'irregular', [
        ['隐患点编号', 'C', 32], ['户主姓名', 'C', 50], ['身份证号码', 'C', 18], ['家庭人口', 'N', 4], ...AREA, ['搬迁方式', 'C', 20],
        ['安置地点', 'C', 200], ['补助金额（元）', 'Y', 18], ['搬迁完成日期', 'T', 8],
      ], { mode: 'file', sensitivity: 'restricted' }),
      res('地质灾害防治工程信息', 'geology', 'risk-control', 'thing', 'yearly', [
        ['工程编号', 'C', 32], ['工程名称', 'C', 200], ['隐患点编号', 'C', 32], ['治理措施', 'M', 500], ['总投资（万元）', 'Y', 18],
        ['开工日期', 'T', 8], ['竣工日期', 'T', 8], ['设计单位', 'C', 100], ['施工单位', 'C', 100], ['验收结论', 'C', 50],
      ], { mode: 'file' }),
      res('地质灾害气象风险预警信息', 'geology', 'monitoring', 'event', 'daily', [
        ['预警编号', 'C', 32], ['发布时间', 'T', 8], ['预警等级', 'C', 10], ['预警区域', 'M', 500], ['涉及街镇', 'C', 200], ['有效时段', 'C', 50],
        ['防范建议', 'M', 500], ['发布单位', 'C', 100], ['预警依据', 'M', 500], ['预报降雨量（毫米）', 'N', 8],
        ['解除时间', 'T', 8],
      ], { mode: 'file', share: 'unconditional', sensitivity: 'public' }),
      res('地质灾害险情灾情统计', 'geology', 'statistics', 'event', 'irregular', [
        ...STATS, ['灾险情起数', 'N', 6], ['成功避险起数', 'N', 6], ['避险人数', 'N', 8], ['死亡失踪人数', 'N', 4], ['直接经济损失（万元）', 'Y', 18],
        ...REMARK,
      ], { mode: 'file' }),
      res('地面沉降监测数据', 'geology', 'monitoring', 'place', 'monthly', [
        ['监测点编号', 'C', 32], ['监测点名称', 'C', 100], ...AREA, ...COORDS, ['本期沉降量（毫米）', 'N', 8], ['累计沉降量（毫米）', 'N', 10],
        ['观测日期', 'T', 8], ['观测方法', 'C', 50],
      ], { mode: 'file' }),
    ]),
    districtSystem('渝北区国土空间基础信息平台', {
      builder: PLANNING_BUILDER, operator: '渝北区规划和自然资源信息中心',
      modes: ['api', 'file'], networks: GOV, security: 'level3',
    }, [
      res('地质灾害易发区划信息', 'geology', 'risk-management', 'place', 'irregular', [
        ['区划单元编号', 'C', 32], ['易发程度', 'C', 20], ...AREA, ['面积（平方千米）', 'N', 10], ['主要灾害类型', 'C', 100], ['地貌类型', 'C', 50],
        ['划定年份', 'N', 4], ['划定依据', 'M', 500], ['成果来源', 'C', 100], ['成果图件', 'G', 255],
      ], { mode: 'file' }),
      res('工程地质与岩土体信息', 'geology', 'basic', 'place', 'irregular', [
        ['钻孔编号', 'C', 32], ...AREA, ...COORDS, ['孔口高程（米）', 'N', 8], ['孔深（米）', 'N', 8], ['地层岩性', 'M', 500], ['地下水位埋深（米）', 'N', 8],
        ['岩土分类', 'C', 50], ['勘察单位', 'C', 100], ['勘察日期', 'T', 8],
      ], { mode: 'file' }),
      res('矿山地质环境信息', 'geology', 'basic', 'place', 'yearly', [
        ['矿山名称', 'C', 100], ['采矿许可证号', 'C', 50], ...LOCATION, ['开采矿种', 'C', 50], ['开采方式', 'C', 20], ['矿区面积（公顷）', 'N', 10],
        ['地质环境问题', 'M', 500], ['恢复治理情况', 'C', 50],
      ], { mode: 'file' }),
      res('地下空间开发利用信息', 'building', 'basic', 'place', 'yearly', [
        ['项目名称', 'C', 200], ...LOCATION, ['地下空间用途', 'C', 50], ['地下层数', 'N', 4], ['地下建筑面积（平方米）', 'N', 10], ['开挖深度（米）', 'N', 8],
        ['规划许可证号', 'C', 50], ['建设单位', 'C', 100],
      ], { mode: 'api' }),
    ]),
    upperSystem('重庆市地质灾害防治信息平台', 'municipal', {
      builder: '重庆市规划和自然资源局', operator: '渝北区地质灾害防治中心', security: 'level3', modes: ['api'], networks: GOV,
    }),
  ],
}

// 区气象局 — late -----------------------------------------------------------------------------------
const METEOROLOGY: DemoDepartment = {
  name: '渝北区气象局',
  shortName: '区气象局',
  reporting: 'late',
  diligence: 0.86,
  reviewer: '梁某某',
  filler: '宋某',
  phone: '023-67811695',
  systems: [
    districtSystem('渝北区气象灾害监测预警服务系统', {
      builder: '渝北区气象局', operator: '渝北区气象台',
      modes: ['api', 'file'], networks: ['gov-extranet', 'internet'], security: 'level2',
    }, [
      res('自动气象站观测数据', 'meteorology', 'monitoring', 'thing', 'realtime', [
        ...STATION, ['观测时间', 'T', 8], ['气温（℃）', 'N', 6], ['相对湿度（%）', 'N', 6], ['小时降水量（毫米）', 'N', 8], ['风向（度）', 'N', 4],
        ['风速（米/秒）', 'N', 6], ['极大风速（米/秒）', 'N', 6], ['气压（百帕）', 'N', 8], ['能见度（米）', 'N', 8],
      ], {
        mode: 'api', share: 'unconditional', sensitivity: 'public',
        features: [monitors(90, ['{community}自动气象站', '{road}区域自动站{n}', '{community}交通气象站'], { 站类: ['国家站', '区域站', '交通气象站'] })],
      }),
      res('气象灾害预警信号信息', 'meteorology', 'monitoring', 'event', 'realtime', [
        ['预警编号', 'C', 32], ['预警类型', 'C', 20], ['预警级别', 'C', 10], ['发布时间', 'T', 8], ['解除时间', 'T', 8], ['影响区域', 'M', 500],
        ['预警内容', 'M', 500], ['防御指南', 'M', 500], ['签发人', 'C', 50], ['发布单位', 'C', 100], ['变更状态', 'C', 20],
      ], { mode: 'api', share: 'unconditional', sensitivity: 'public' }),
      res('短时临近天气预报信息', 'meteorology', 'monitoring', 'event', 'daily', [
        ['预报编号', 'C', 32], ['发布时间', 'T', 8], ['预报时效（小时）', 'N', 4], ...AREA, ['天气现象', 'C', 50], ['降水量级', 'C', 20],
        ['最高气温', 'N', 6], ['最低气温', 'N', 6], ['风力', 'C', 20],
      ], { mode: 'api', share: 'unconditional', sensitivity: 'public' }),
      res('雷电监测数据', 'meteorology', 'monitoring', 'event', 'realtime', [
        ['闪电编号', 'C', 32], ['发生时间', 'T', 8], ...COORDS, ['雷电流强度（kA）', 'N', 8], ['极性', 'C', 4], ['闪电类型', 'C', 20],
        ['定位误差（米）', 'N', 6], ['探测站数', 'N', 4], ['回击次数', 'N', 4], ['所属街镇', 'C', 50],
      ], {
        mode: 'api',
        features: [monitors(12, ['{community}闪电定位站', '{community}大气电场仪{n}'], { 设备类型: ['闪电定位仪', '大气电场仪'] })],
      }),
      res('雷电防护装置检测信息', 'meteorology', 'risk-control', 'thing', 'yearly', [
        ['受检单位', 'C', 100], ['统一社会信用代码', 'C', 18], ...LOCATION, ['场所类别', 'C', 50], ['防雷类别', 'C', 20], ['检测日期', 'T', 8],
        ['检测结论', 'C', 20], ['检测机构', 'C', 100], ['下次检测日期', 'T', 8],
      ], { mode: 'file' }),
      res('气象灾害风险区划信息', 'meteorology', 'risk-management', 'place', 'irregular', [
        ['区划编号', 'C', 32], ['灾种', 'C', 20], ...AREA, ['风险等级', 'C', 10], ['面积（平方千米）', 'N', 10], ['致灾因子', 'C', 200], ['承灾体类型', 'C', 100], ['评估方法', 'C', 100], ['区划年份', 'N', 4],
        ['成果图件', 'G', 255],
      ], { mode: 'file' }),
      res('气象灾情收集信息', 'meteorology', 'statistics', 'event', 'irregular', [
        ...EVENT, ['灾害种类', 'C', 20], ...AREA, ['受灾人口', 'N', 8], ['直接经济损失（万元）', 'Y', 18], ['灾情核实状态', 'C', 20],
      ], { mode: 'file' }),
      res('气象信息员信息', 'meteorology', 'basic', 'people', 'yearly', [
        ...PERSON, ...AREA, ['服务村社', 'C', 100], ['聘任日期', 'T', 8], ['是否接收预警短信', 'L', 1],
      ], { mode: 'file', sensitivity: 'restricted' }),
      res('气候统计分析信息', 'meteorology', 'statistics', 'thing', 'monthly', [
        ...STATS, ['平均气温（℃）', 'N', 6], ['气温距平', 'N', 6], ['降水量（毫米）', 'N', 8], ['降水距平百分率', 'N', 6], ['日照时数', 'N', 8],
        ['暴雨日数', 'N', 4], ['高温日数', 'N', 4], ...REMARK,
      ], { mode: 'file', share: 'unconditional', sensitivity: 'public' }),
    ]),
    upperSystem('全国综合气象信息共享平台', 'national', {
      builder: '中国气象局', operator: '渝北区气象台', deployment: 'other', security: 'level3', modes: ['api'], networks: ['other'],
    }),
    upperSystem('重庆市智慧气象服务平台', 'municipal', {
      builder: '重庆市气象局', operator: '渝北区气象台', security: 'level2', modes: ['api'], networks: ['gov-extranet', 'internet'],
    }),
  ],
}

// 区消防救援支队 -----------------------------------------------------------------------------------
const FIRE_BUILDER = '重庆市渝北区消防救援支队'

const FIRE: DemoDepartment = {
  name: '渝北区消防救援支队',
  shortName: '区消防救援支队',
  reporting: 'on-time',
  diligence: 0.9,
  reviewer: '许某某',
  filler: '邓某',
  phone: '023-67819512',
  systems: [
    districtSystem('渝北区智慧消防物联网监控系统', {
      builder: FIRE_BUILDER, operator: '渝北区消防救援支队作战指挥中心',
      modes: ['api'], networks: ['gov-extranet', 'internet'], security: 'level3',
    }, [
      res('独立式感烟火灾探测报警器监测数据', 'fire', 'monitoring', 'thing', 'realtime', [
        ...SENSOR_SITE, ...SENSOR, ['安装场所', 'C', 100], ['烟雾浓度（dB/m）', 'N', 8], ['设备电量', 'N', 4], ['是否误报', 'L', 1],
      ], {
        mode: 'api',
        features: [monitors(1600, ['{community}烟感探测器{n}', '{community}老旧小区独立烟感{n}', '{community}九小场所烟感{n}'], {
          安装场所: ['老旧小区', '九小场所', '群租房', '养老机构', '出租屋'],
        })],
      }),
      res('电气火灾监控数据', 'fire', 'monitoring', 'thing', 'realtime', [
        ['单位名称', 'C', 100], ...SENSOR_SITE, ...SENSOR, ['剩余电流（mA）', 'N', 8], ['线缆温度（℃）', 'N', 6], ['电流（A）', 'N', 8], ['电压（V）', 'N', 8],
      ], {
        mode: 'api',
        features: [monitors(400, ['{community}电气火灾监测点{n}', '{road}配电箱剩余电流监测点{n}'], { 监测指标: ['剩余电流', '线缆温度', '电流', '电压'] })],
      }),
      res('消防给水系统压力监测数据', 'fire', 'monitoring', 'thing', 'realtime', [
        ['单位名称', 'C', 100], ...SENSOR_SITE, ...SENSOR, ['管网压力（MPa）', 'N', 8], ['水箱液位（米）', 'N', 8], ['水泵状态', 'C', 20],
      ], {
        mode: 'api',
        features: [monitors(200, ['{community}消防水压监测点{n}', '{community}消防水箱液位监测点{n}'], { 监测指标: ['喷淋末端压力', '消火栓管网压力', '水箱液位'] })],
      }),
      res('火灾自动报警系统报警信息', 'fire', 'monitoring', 'event', 'realtime', [
        ['报警编号', 'C', 32], ['联网单位', 'C', 100], ['联网单位地址', 'C', 200], ...COORDS, ['报警时间', 'T', 8], ['报警类型', 'C', 20], ['报警部件', 'C', 100], ['部件位置', 'C', 200],
        ['确认结果', 'C', 20], ['确认时间', 'T', 8], ['处理人', 'C', 50],
      ], { mode: 'api' }),
      res('市政消火栓信息', 'fire', 'basic', 'thing', 'quarterly', [
        ['消火栓编号', 'C', 32], ['所在道路', 'C', 100], ...AREA, ...COORDS, ['消火栓类型', 'C', 20], ['接口规格', 'C', 20], ['管网压力（MPa）', 'N', 8],
        ['可用状态', 'C', 20], ['维护单位', 'C', 100], ['最近检查日期', 'T', 8],
      ], {
        features: [facilities(500, ['{road}市政消火栓{n}', '{community}室外消火栓{n}'], { 消火栓类型: ['地上式', '地下式'], 可用状态: ['正常', '正常', '正常', '压力不足', '损坏'] })],
      }),
      res('消防救援站信息', 'fire', 'basic', 'place', 'yearly', [
        ['救援站名称', 'C', 100], ['站级', 'C', 20], ...LOCATION, ['指战员人数', 'N', 4], ['消防车数量', 'N', 4], ['辖区面积（平方千米）', 'N', 8],
        ['值班电话', 'C', 20],
      ], {
        share: 'unconditional', sensitivity: 'public',
        features: [supplies(30, ['{community}消防救援站', '{community}特勤消防站', '{road}消防救援站'], [15, 60], '人', { 站级: ['特勤站', '一级站', '二级站', '小型站'] })],
      }),
      res('微型消防站信息', 'fire', 'risk-control', 'place', 'quarterly', [
        ['微型站名称', 'C', 100], ['依托单位', 'C', 100], ['站点类型', 'C', 20], ...LOCATION, ['队员人数', 'N', 4], ['主要器材', 'M', 500],
        ['站长', 'C', 50], ['值班电话', 'C', 20],
      ], {
        features: [supplies(400, ['{community}微型消防站{n}', '{community}社区微型消防站', '{road}商圈微型消防站'], [3, 10], '人', { 站点类型: ['社区', '重点单位', '商圈'] })],
      }),
      res('火灾事故统计信息', 'fire', 'statistics', 'event', 'monthly', [
        ...STATS, ['火灾起数', 'N', 6], ['死亡人数', 'N', 4], ['受伤人数', 'N', 4], ['直接财产损失（万元）', 'Y', 18], ['起火原因分布', 'M', 500],
        ['起火场所分布', 'M', 500],
      ], { mode: 'file' }),
      res('消防车辆装备信息', 'fire', 'basic', 'thing', 'quarterly', [
        ['车辆编号', 'C', 32], ['车牌号码', 'C', 20], ['车辆类型', 'C', 50], ['所属救援站', 'C', 100], ['载水量（吨）', 'N', 6], ['载泡沫量（吨）', 'N', 6],
        ['举高高度（米）', 'N', 6], ['车载装备清单', 'M', 500], ['出厂日期', 'T', 8], ['最近保养日期', 'T', 8], ['车辆状态', 'C', 20],
      ], { sensitivity: 'restricted' }),
      res('天然消防水源信息', 'fire', 'basic', 'place', 'yearly', [
        ['水源编号', 'C', 32], ['水源名称', 'C', 100], ['水源类型', 'C', 20], ...AREA, ...COORDS, ['储水量（立方米）', 'N', 10], ['取水方式', 'C', 50],
        ['可停靠车辆数', 'N', 4],
      ]),
    ]),
    districtSystem('渝北区消防安全重点单位管理系统', {
      builder: FIRE_BUILDER, operator: '渝北区消防救援支队防火监督科',
      modes: ['database'], networks: GOV, security: 'level2',
    }, [
      res('消防安全重点单位信息', 'fire', 'basic', 'place', 'quarterly', [
        ...ORG, ['单位类别', 'C', 50], ...LOCATION, ['建筑面积（平方米）', 'N', 10], ['建筑高度（米）', 'N', 6], ['消防设施类型', 'C', 200],
        ['消防控制室', 'L', 1], ['消防安全管理人', 'C', 50], ...CONTACT,
      ], {
        features: [targets(550, ['{community}消防安全重点单位{n}', '{road}高层公共建筑{n}', '{community}劳动密集型企业{n}'], {
          单位类别: ['商场市场', '宾馆饭店', '医院', '学校', '高层公共建筑', '劳动密集型企业', '易燃易爆单位'],
        })],
      }),
      res('消防监督检查记录', 'fire', 'risk-control', 'event', 'daily', [
        ['单位名称', 'C', 100], ['统一社会信用代码', 'C', 18], ...INSPECTION, ['法律文书编号', 'C', 50], ['是否临时查封', 'L', 1],
      ]),
      res('火灾隐患整改信息', 'fire', 'risk-control', 'event', 'weekly', [
        ['隐患编号', 'C', 32], ['单位名称', 'C', 100], ...LOCATION, ['隐患类型', 'C', 50], ['隐患描述', 'M', 500], ['是否重大火灾隐患', 'L', 1],
        ['整改期限', 'T', 8], ['整改状态', 'C', 20], ...PHOTO,
      ]),
      res('高层建筑消防安全风险信息', 'fire', 'risk-management', 'place', 'yearly', [
        ...RISK, ['建筑名称', 'C', 100], ...COORDS, ['建筑高度（米）', 'N', 6], ['层数', 'N', 4], ['使用性质', 'C', 50], ['自动消防设施完好率', 'N', 6],
      ], {
        features: [riskPoints(200, ['{community}高层住宅{n}栋', '{road}超高层建筑{n}', '{community}老旧高层{n}号楼'], {
          使用性质: ['住宅', '公共建筑', '综合楼'], 建筑高度区间: ['27-54米', '54-100米', '100米以上'],
        })],
      }),
      res('九小场所消防安全信息', 'fire', 'risk-management', 'place', 'quarterly', [
        ['场所名称', 'C', 100], ['场所类型', 'C', 50], ...LOCATION, ['经营者', 'C', 50], ['经营面积（平方米）', 'N', 8], ['是否住人', 'L', 1],
        ['灭火器数量', 'N', 4], ['检查结果', 'C', 20], ...CONTACT,
      ]),
      res('消防安全责任人及管理人信息', 'fire', 'basic', 'people', 'quarterly', [
        ...PERSON, ['责任类型', 'C', 20], ['所属单位', 'C', 100], ['消防培训证书编号', 'C', 50], ['培训日期', 'T', 8],
      ], { sensitivity: 'restricted' }),
    ]),
    upperSystem('消防监督管理系统', 'national', {
      builder: '国家消防救援局', operator: FIRE_BUILDER, deployment: 'other', security: 'level3', modes: [], networks: ['other'],
    }),
  ],
}

/** The 13 departments of the notice, in its order. */
export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  {
    name: '渝北区发展改革委',
    shortName: '区发展改革委',
    reporting: 'no-systems',
    diligence: 0.9,
    reviewer: '王某某',
    filler: '李某',
    phone: '023-67811023',
    systems: [],
  },
  ECONOMY,
  HOUSING,
  CITY,
  TRANSPORT,
  WATER,
  EMERGENCY,
  FORESTRY,
  POLICE,
  PLANNING,
  {
    name: '渝北区市场监管局',
    shortName: '区市场监管局',
    reporting: 'not-started',
    diligence: 0.8,
    reviewer: '赵某某',
    filler: '钱某',
    phone: '023-67812877',
    systems: [],
  },
  METEOROLOGY,
  FIRE,
]
