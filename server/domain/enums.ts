/**
 * Every enumeration of the catalog (annexes 2 and 3 of the survey notice, the map and the access
 * model), each as an ordered table of code → Chinese label. Shared by server and web: no Node imports.
 */
export interface EnumEntry<C extends string = string> {
  readonly code: C
  readonly label: string
}

function table<const T extends readonly EnumEntry[]>(entries: T): T {
  return entries
}

/** 建设方式 */
export const BUILD_LEVELS = table([
  { code: 'national', label: '国家建设' },
  { code: 'municipal', label: '市级建设' },
  { code: 'district', label: '区级建设' },
])
/** 系统部署位置 */
export const DEPLOYMENTS = table([
  { code: 'gov-cloud', label: '政务云' },
  { code: 'own', label: '本单位' },
  { code: 'other', label: '其他' },
])
/** 运行状态 */
export const RUN_STATUSES = table([
  { code: 'building', label: '在建' },
  { code: 'maintained', label: '运维' },
  { code: 'out-of-warranty', label: '过保' },
])
/** 等级级别 (网络安全等级保护) */
export const SECURITY_LEVELS = table([
  { code: 'level2', label: '二级' },
  { code: 'level3', label: '三级' },
  { code: 'unrated', label: '未定级' },
])
/** 提供数据方式 (a system may have several; a resource has one) */
export const SHARING_MODES = table([
  { code: 'database', label: '数据库' },
  { code: 'api', label: '接口' },
  { code: 'file', label: '文件' },
])
/** 网络类型 */
export const NETWORKS = table([
  { code: 'internet', label: '互联网' },
  { code: 'lan', label: '局域网' },
  { code: 'gov-extranet', label: '政务外网' },
  { code: 'other', label: '其他' },
])
/** 数据类型 */
export const DATA_TYPES = table([
  { code: 'C', label: '字符串' },
  { code: 'N', label: '数值型' },
  { code: 'Y', label: '货币型' },
  { code: 'T', label: '日期时间型' },
  { code: 'L', label: '逻辑型' },
  { code: 'M', label: '备注型' },
  { code: 'G', label: '通用型' },
])
/** 更新周期 */
export const UPDATE_CYCLES = table([
  { code: 'realtime', label: '实时' },
  { code: 'daily', label: '每日' },
  { code: 'weekly', label: '每周' },
  { code: 'monthly', label: '每月' },
  { code: 'quarterly', label: '每季度' },
  { code: 'half-yearly', label: '每半年' },
  { code: 'yearly', label: '每年' },
  { code: 'irregular', label: '不定期' },
  { code: 'other', label: '其他' },
])
/** 人、地、事、物: what a resource describes */
export const SUBJECT_CLASSES = table([
  { code: 'people', label: '人' },
  { code: 'place', label: '地' },
  { code: 'event', label: '事' },
  { code: 'thing', label: '物' },
])
/** What a resource is for, per the notice */
export const PURPOSES = table([
  { code: 'basic', label: '基础信息' },
  { code: 'risk-management', label: '风险管理' },
  { code: 'monitoring', label: '监测预警' },
  { code: 'risk-control', label: '风险防控' },
  { code: 'statistics', label: '运行统计分析' },
])
/** 共享属性 (national catalogue practice) */
export const SHARING_ATTRIBUTES = table([
  { code: 'unconditional', label: '无条件共享' },
  { code: 'conditional', label: '有条件共享' },
  { code: 'none', label: '不予共享' },
])
/**
 * Sensitivity of a resource, inherited by its items and features. There is deliberately no
 * "classified" (涉密) level: classified data never belongs on the e-government extranet.
 */
export const SENSITIVITIES = table([
  { code: 'public', label: '公开' },
  { code: 'internal', label: '内部' },
  { code: 'restricted', label: '受限' },
])
/** 风险等级, with the colours of the risk "one map" */
export const RISK_LEVELS = [
  { code: 'red', label: '重大风险', color: '#e02020' },
  { code: 'orange', label: '较大风险', color: '#ff8c1a' },
  { code: 'yellow', label: '一般风险', color: '#f5d000' },
  { code: 'blue', label: '低风险', color: '#2f7fff' },
] as const
/** Kinds of spatial feature on the map */
export const FEATURE_KINDS = [
  { code: 'risk-point', label: '风险点', geometry: ['Point'] },
  { code: 'hazard-source', label: '危险源', geometry: ['Point'] },
  { code: 'monitoring-point', label: '监测点', geometry: ['Point'] },
  { code: 'facility', label: '设施', geometry: ['Point', 'Polygon'] },
  { code: 'pipeline', label: '管网', geometry: ['LineString'] },
  { code: 'protection-target', label: '重点防护目标', geometry: ['Point', 'Polygon'] },
  { code: 'emergency-resource', label: '应急资源', geometry: ['Point'] },
] as const
/** Freshness of a resource judged against its declared update cycle */
export const FRESHNESS_STATUSES = table([
  { code: 'on-time', label: '按时更新' },
  { code: 'due-soon', label: '即将到期' },
  { code: 'overdue', label: '已逾期' },
  { code: 'never', label: '从未更新' },
  { code: 'not-judged', label: '不考核' },
])
/** Reporting progress of a department in a survey round */
export const REPORT_STATUSES = table([
  { code: 'not-started', label: '未填报' },
  { code: 'systems-reported', label: '已报系统' },
  { code: 'resources-reported', label: '已报资源' },
  { code: 'no-systems', label: '无系统(已反馈)' },
  { code: 'late', label: '逾期' },
])
/** Where a recorded update came from */
export const UPDATE_SOURCES = table([
  { code: 'sync', label: '系统同步' },
  { code: 'import', label: '表格导入' },
  { code: 'api', label: '接口推送' },
  { code: 'manual', label: '手工维护' },
  { code: 'geodata', label: '空间数据导入' },
])
/**
 * The 13 indicators of the quantitative risk model (the Shenzhen city safety risk register, 深圳市城市安全风险清单). The first four are
 * named in the source; the rest follow common urban risk-assessment practice.
 */
export const RISK_INDICATORS = table([
  { code: 'exposure', label: '人员暴露' },
  { code: 'vulnerability', label: '城市脆弱性' },
  { code: 'sensitivity', label: '敏感性' },
  { code: 'mitigation', label: '风险减缓' },
  { code: 'hazard-quantity', label: '危险物质数量' },
  { code: 'likelihood', label: '事故可能性' },
  { code: 'history', label: '历史事故' },
  { code: 'surroundings', label: '周边环境' },
  { code: 'facility-condition', label: '设施设备状况' },
  { code: 'monitoring', label: '监测预警能力' },
  { code: 'response', label: '应急处置能力' },
  { code: 'control-measures', label: '管控措施落实' },
  { code: 'natural-conditions', label: '自然环境条件' },
])

export type BuildLevel = (typeof BUILD_LEVELS)[number]['code']
export type Deployment = (typeof DEPLOYMENTS)[number]['code']
export type RunStatus = (typeof RUN_STATUSES)[number]['code']
export type SecurityLevel = (typeof SECURITY_LEVELS)[number]['code']
export type SharingMode = (typeof SHARING_MODES)[number]['code']
export type Network = (typeof NETWORKS)[number]['code']
export type DataType = (typeof DATA_TYPES)[number]['code']
export type UpdateCycle = (typeof UPDATE_CYCLES)[number]['code']
export type SubjectClass = (typeof SUBJECT_CLASSES)[number]['code']
export type Purpose = (typeof PURPOSES)[number]['code']
export type SharingAttribute = (typeof SHARING_ATTRIBUTES)[number]['code']
export type Sensitivity = (typeof SENSITIVITIES)[number]['code']
export type RiskLevel = (typeof RISK_LEVELS)[number]['code']
export type FeatureKind = (typeof FEATURE_KINDS)[number]['code']
export type FreshnessStatus = (typeof FRESHNESS_STATUSES)[number]['code']
export type ReportStatus = (typeof REPORT_STATUSES)[number]['code']
export type UpdateSource = (typeof UPDATE_SOURCES)[number]['code']
export type RiskIndicator = (typeof RISK_INDICATORS)[number]['code']

/** 角色 (SPEC §6): leaders view, analysts view and export, reporters edit their own department. */
export const ROLES = table([
  { code: 'leader', label: '领导' },
  { code: 'analyst', label: '分析人员' },
  { code: 'reporter', label: '填报人员' },
  { code: 'admin', label: '系统管理员' },
])
/** The highest sensitivity a wall-screen link may show (受限 never goes to a wall). */
export const KIOSK_CEILINGS = table([
  { code: 'public', label: '公开' },
  { code: 'internal', label: '内部' },
])
/** What the audit log records. */
export const AUDIT_ACTIONS = table([
  { code: 'sign-in', label: '登录' },
  { code: 'sign-out', label: '退出登录' },
  { code: 'password-change', label: '修改密码' },
  { code: 'refused', label: '拒绝访问' },
  { code: 'create', label: '新建' },
  { code: 'update', label: '修改' },
  { code: 'delete', label: '删除' },
  { code: 'import', label: '导入' },
  { code: 'export', label: '导出' },
  { code: 'user-create', label: '新建用户' },
  { code: 'user-update', label: '修改用户' },
  { code: 'user-password', label: '重置密码' },
  { code: 'user-unlock', label: '解除锁定' },
  { code: 'kiosk-create', label: '新建大屏链接' },
  { code: 'kiosk-revoke', label: '撤销大屏链接' },
  { code: 'kiosk-open', label: '打开大屏链接' },
  { code: 'token-create', label: '新建访问令牌' },
  { code: 'token-revoke', label: '撤销访问令牌' },
  { code: 'two-factor-enable', label: '启用两步验证' },
  { code: 'two-factor-disable', label: '停用两步验证' },
  { code: 'two-factor-reset', label: '重置两步验证' },
  { code: 'two-factor-code', label: '两步验证码' },
  { code: 'recovery-codes', label: '重新生成恢复码' },
  { code: 'settings', label: '修改访问设置' },
  { code: 'ingest', label: '接口推送' },
  { code: 'federation-token-create', label: '签发汇聚令牌' },
  { code: 'federation-token-revoke', label: '撤销汇聚令牌' },
  { code: 'harvest-read', label: '被上级汇聚' },
  { code: 'harvest-source', label: '配置汇聚来源' },
  { code: 'harvest-run', label: '运行汇聚任务' },
  { code: 'harvest-confirm', label: '确认汇聚删除' },
  { code: 'harvest-job', label: '汇聚任务结果' },
  { code: 'alarm-step', label: '告警处置' },
  { code: 'alarm-escalate', label: '告警超时上报' },
  { code: 'alarm-rule', label: '修改告警规则' },
  { code: 'risk-model', label: '修改风险评估模型' },
  { code: 'risk-assess', label: '风险评估' },
])
export const AUDIT_RESULTS = table([
  { code: 'success', label: '成功' },
  { code: 'failure', label: '失败' },
  { code: 'refused', label: '拒绝' },
])
export type Role = (typeof ROLES)[number]['code']
export type KioskCeiling = (typeof KIOSK_CEILINGS)[number]['code']
export type AuditAction = (typeof AUDIT_ACTIONS)[number]['code']
export type AuditResult = (typeof AUDIT_RESULTS)[number]['code']

/** All the enumerations by name, as served by GET /api/meta. */
export const ENUMS = {
  buildLevels: BUILD_LEVELS,
  deployments: DEPLOYMENTS,
  runStatuses: RUN_STATUSES,
  securityLevels: SECURITY_LEVELS,
  sharingModes: SHARING_MODES,
  networks: NETWORKS,
  dataTypes: DATA_TYPES,
  updateCycles: UPDATE_CYCLES,
  subjectClasses: SUBJECT_CLASSES,
  purposes: PURPOSES,
  sharingAttributes: SHARING_ATTRIBUTES,
  sensitivities: SENSITIVITIES,
  riskLevels: RISK_LEVELS,
  featureKinds: FEATURE_KINDS,
  freshnessStatuses: FRESHNESS_STATUSES,
  reportStatuses: REPORT_STATUSES,
  updateSources: UPDATE_SOURCES,
  riskIndicators: RISK_INDICATORS,
  roles: ROLES,
  kioskCeilings: KIOSK_CEILINGS,
  auditActions: AUDIT_ACTIONS,
  auditResults: AUDIT_RESULTS,
} as const

/** The codes of an enumeration, as a non-empty tuple (for zod's z.enum). */
export function codesOf<T extends readonly { code: string }[]>(entries: T): [T[number]['code'], ...T[number]['code'][]] {
  return entries.map((e) => e.code) as [T[number]['code'], ...T[number]['code'][]]
}

/** The Chinese label of a code, or the code itself when it is not in the table. */
export function labelOf(entries: readonly { code: string; label: string }[], code: string | null | undefined): string {
  if (code == null) return ''
  return entries.find((e) => e.code === code)?.label ?? code
}
