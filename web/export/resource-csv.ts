import { FRESHNESS_STATUSES, PURPOSES, SENSITIVITIES, SHARING_ATTRIBUTES, SHARING_MODES, SUBJECT_CLASSES, UPDATE_CYCLES, labelOf } from '../../server/domain/enums.js'
import type { DataResource } from '../../server/domain/types.js'
import type { CsvColumn } from './csv.js'

/** Columns of the exported resource table, in the order of annex 3 followed by the platform's own. */
export const RESOURCE_CSV_COLUMNS: CsvColumn<DataResource>[] = [
  { header: '数据资源提供方', value: (r) => r.departmentName },
  { header: '所属业务系统', value: (r) => r.systemName },
  { header: '数据资源所属类别', value: (r) => r.category },
  { header: '数据资源名称', value: (r) => r.name },
  { header: '数据提供方式', value: (r) => labelOf(SHARING_MODES, r.provisionMode) },
  { header: '更新周期', value: (r) => labelOf(UPDATE_CYCLES, r.updateCycle) },
  { header: '人地事物', value: (r) => labelOf(SUBJECT_CLASSES, r.subjectClass) },
  { header: '用途', value: (r) => labelOf(PURPOSES, r.purpose) },
  { header: '共享属性', value: (r) => labelOf(SHARING_ATTRIBUTES, r.sharingAttribute) },
  { header: '敏感级别', value: (r) => labelOf(SENSITIVITIES, r.sensitivity) },
  { header: '数据项数', value: (r) => r.itemCount },
  { header: '空间要素数', value: (r) => r.featureCount },
  { header: '更新及时性', value: (r) => labelOf(FRESHNESS_STATUSES, r.freshness.status) },
  { header: '最近更新', value: (r) => r.freshness.lastUpdatedAt ?? '' },
  { header: '填报人', value: (r) => r.filler },
  { header: '联系电话', value: (r) => r.phone },
]
