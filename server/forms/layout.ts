/**
 * The two official forms of the Yubei survey notice (渝北区城市安全数据资源摸排通知), as data: annex 2 城市安全业务系统调研表
 * (one sheet per information system, label / value pairs) and annex 3 城市安全数据资源摸排表 (one row per
 * data item). Templates, exports and the import parser all read their layout from here.
 */

export const SYSTEMS_FORM_TITLE = '城市安全业务系统调研表'
export const RESOURCES_FORM_TITLE = '城市安全数据资源摸排表'

export type SystemField =
  | 'name' | 'buildLevel' | 'builder' | 'operator' | 'deployment' | 'runStatus' | 'securityLevel'
  | 'sharesData' | 'sharingModes' | 'networks' | 'reviewer' | 'filler' | 'phone' | 'filledAt'

/** Annex 2 labels, in the form's order; `required` marks the fields the import insists on. */
export const SYSTEM_FIELDS: readonly { field: SystemField; label: string; required: boolean }[] = [
  { field: 'name', label: '系统名称', required: true },
  { field: 'buildLevel', label: '建设方式', required: true },
  { field: 'builder', label: '建设单位', required: false },
  { field: 'operator', label: '管理单位', required: false },
  { field: 'deployment', label: '系统部署位置', required: true },
  { field: 'runStatus', label: '运行状态', required: true },
  { field: 'securityLevel', label: '等级级别', required: true },
  { field: 'sharesData', label: '已对外提供数据', required: true },
  { field: 'sharingModes', label: '提供数据方式', required: false },
  { field: 'networks', label: '网络类型', required: true },
  { field: 'reviewer', label: '审核人', required: false },
  { field: 'filler', label: '填报人', required: false },
  { field: 'phone', label: '联系电话', required: false },
  { field: 'filledAt', label: '填报时间', required: false },
]
export const DEPARTMENT_LABEL = '填报单位'

export type ResourceColumn =
  | 'department' | 'system' | 'category' | 'resource' | 'provisionMode' | 'item' | 'dataType' | 'length' | 'updateCycle'

/** Annex 3 columns A–I with the form's headers (all required) and its instruction row. */
export const RESOURCE_COLUMNS: readonly { key: ResourceColumn; header: string; hint: string; width: number }[] = [
  { key: 'department', header: '数据资源提供方', width: 20, hint: '填写内容：区县部门名称 填写要求：区县部门全称，例如：渝北区应急局，渝北区交通局' },
  { key: 'system', header: '所属业务系统', width: 26, hint: '填写内容：该数据所在的业务系统名称 填写要求：填写业务系统的全称' },
  { key: 'category', header: '数据资源所属类别', width: 18, hint: '填写内容：数据资源所属城市安全具体领域 填写要求：参照附件 1 填写，如燃气管网安全、供水管网安全等' },
  { key: 'resource', header: '数据资源名称', width: 28, hint: '填写内容：数据资源名称 填写要求：填写数据资源全称。例如：城镇污水排入排水管网许可证' },
  { key: 'provisionMode', header: '数据提供方式', width: 14, hint: '填写内容：具体提供数据方式 填写要求：必填。 例如：数据库/接口/文件' },
  { key: 'item', header: '数据项名称', width: 22, hint: '填写内容：信息项名称 填写要求：例如：城镇污水排入排水管网许可证，包括：区县、排水户名称、详细地址、联系人、联系电话……' },
  { key: 'dataType', header: '数据类型', width: 14, hint: '填写内容：数据类型 填写要求：数据类型包括：字符串 C、数值型 N、货币型 Y、日期时间型 T、逻辑型 L、备注型 M、通用型 G 等' },
  { key: 'length', header: '数据长度', width: 10, hint: '填写内容：数据长度 填写要求：根据信息项实际长度填写' },
  { key: 'updateCycle', header: '更新周期', width: 14, hint: '填写内容：数据资源的更新周期 填写要求：更新周期包括：实时、每日、每周、每月、每季度、每半年、每年、不定期、其他。' },
]
/** The columns that describe the resource (repeated or merged over its item rows). */
export const RESOURCE_LEVEL_COLUMNS: readonly ResourceColumn[] = ['department', 'system', 'category', 'resource', 'provisionMode', 'updateCycle']
export const REQUIRED_MARK = ' (必填项)'
export const FOOTER_LABELS = ['审核人', '填报人', '联系电话', '填报时间'] as const
/**
 * The notes under each form. A form is the department's whole answer (the import's default mode), so
 * the notes say that what the form leaves out is deleted, and how to add or correct only part of it.
 */
export const SYSTEMS_FORM_NOTES = [
  '说明：1.政务信息化系统按照一个系统一套表格填写。',
  '2.本表是本单位全部业务系统的完整答复：上传导入时，平台中本单位已有、但本次上传的表格中没有的业务系统将被删除，连同其数据资源、数据项和地图要素。',
  '3.只需新增或修改部分系统时，请在上传页面选择“仅新增和修改（不删除表中没有的）”；导入前平台会列出将被删除的内容，确认后才写入。',
]
export const RESOURCES_FORM_NOTES = [
  '说明：1.只填写区级建设业务系统数据资源。',
  '2.一项数据资源对应多个数据项，每个数据项信息填写一行。',
  '3.本表是本单位区级建设业务系统数据资源的完整答复：上传导入时，平台中本单位已有、但本表中没有的数据资源将被删除，连同其数据项和地图要素。',
  '4.只需新增或修改部分数据资源时，请在上传页面选择“仅新增和修改（不删除表中没有的）”；导入前平台会列出将被删除的内容，确认后才写入。',
]
export const CHECKBOX_TIP = '填写提示：选项可从下拉列表选择，也可按“☑政务云 □本单位 □其他”的方式勾选；可多选的项用“、”分隔。'

/** A header or label as typed, without "(必填项)", colons, asterisks and spaces. */
export function bareLabel(text: string): string {
  return text.normalize('NFKC').replace(/\(必填项?\)|必填项?|[*:：\s]/g, '')
}
