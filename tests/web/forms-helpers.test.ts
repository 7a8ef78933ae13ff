import assert from 'node:assert/strict'
import { test } from 'vitest'
import type { PreviewChange } from '../../web/api/forms.js'
import { exportUrl, templateUrl } from '../../web/api/downloads.js'
import { emptyFilters } from '../../web/api/filter-params.js'
import {
  changeTitle, deletingConfirmLabel, deletionPhrase, fieldErrors, fileProblem, groupChanges, importedMessage, problemsMessage, roundProblems,
  shanghaiDate, shanghaiInputValue,
  shanghaiIso, unplacedErrors,
} from '../../web/components/forms/forms-helpers.js'

test('a deadline stored in UTC shows in a datetime input as Beijing time, and is read back with +08:00', () => {
  // The Yubei 2022 round: systems due 2022-03-21 12:00 Asia/Shanghai.
  assert.equal(shanghaiInputValue('2022-03-21T04:00:00.000Z'), '2022-03-21T12:00')
  assert.equal(shanghaiIso('2022-03-21T12:00'), '2022-03-21T12:00+08:00')
  assert.equal(new Date(shanghaiIso(shanghaiInputValue('2022-03-29T10:00:00.000Z'))).toISOString(), '2022-03-29T10:00:00.000Z')
  // Just before midnight UTC is the next morning in Chongqing.
  assert.equal(shanghaiInputValue('2022-03-20T23:30:00Z'), '2022-03-21T07:30')
})

test('blank or malformed date-times are not sent as deadlines', () => {
  assert.equal(shanghaiIso(''), '')
  assert.equal(shanghaiIso('2022-03-21'), '')
  assert.equal(shanghaiIso('21/03/2022 12:00'), '')
  assert.equal(shanghaiInputValue(null), '')
  assert.equal(shanghaiInputValue('not a date'), '')
})

test('a filled-at instant becomes the date it was in Chongqing; a plain date stays', () => {
  assert.equal(shanghaiDate('2022-03-18T21:28:00.000Z'), '2022-03-19')
  assert.equal(shanghaiDate('2022-03-20'), '2022-03-20')
  assert.equal(shanghaiDate(null), '')
})

test('field issues from a 400 are keyed by parameter, with two messages of one field joined', () => {
  const errors = fieldErrors([
    { parameter: 'name', message: '缺少必填项「系统名称」' },
    { parameter: 'items.3.name', message: '数据项「区县」重复（第 1 项已填写）' },
    { parameter: 'name', message: '不能超过 200 个字符' },
  ])
  assert.deepEqual(errors, { name: '缺少必填项「系统名称」；不能超过 200 个字符', 'items.3.name': '数据项「区县」重复（第 1 项已填写）' })
  assert.deepEqual(unplacedErrors({ ...errors, planHash: '缺少 planHash' }, (k) => k === 'name' || k.startsWith('items.')), ['缺少 planHash'])
})

function change(action: PreviewChange['action'], resourceName: string | null): PreviewChange {
  return {
    action, entity: resourceName ? 'resource' : 'system', departmentName: '渝北区应急局', systemName: '应急指挥平台', resourceName,
    fields: [], itemsAdded: [], itemsChanged: [], itemsRemoved: [], note: null,
  }
}

test('the preview is grouped into added, changed and removed, each in file order', () => {
  const g = groupChanges([change('remove', 'A'), change('add', 'B'), change('change', 'C'), change('add', 'D')])
  assert.deepEqual(g.add.map((c) => c.resourceName), ['B', 'D'])
  assert.deepEqual(g.change.map((c) => c.resourceName), ['C'])
  assert.deepEqual(g.remove.map((c) => c.resourceName), ['A'])
  assert.equal(changeTitle(change('add', '危化企业')), '渝北区应急局 / 应急指挥平台 / 危化企业')
  assert.equal(changeTitle(change('add', null)), '渝北区应急局 / 应急指挥平台')
})

test('a refused file says how many problems and that nothing was imported', () => {
  assert.equal(problemsMessage(3), '共 3 处问题，未导入任何数据。请按工作表、行、列修改后重新上传。')
  assert.match(problemsMessage(500), /仅列出前 500 处/)
})

test('the import message counts systems for annex 2 and resources with items for annex 3', () => {
  const s = { added: 1, changed: 2, removed: 0, unchanged: 5, itemsAdded: 2, itemsChanged: 1, itemsRemoved: 0, deleted: { systems: 0, resources: 0, items: 0, features: 0 } }
  assert.equal(importedMessage('systems', s), '导入成功：新增 1 个系统，修改 2 个系统，删除 0 个系统，未变 5 个系统。')
  assert.match(importedMessage('resources', s), /新增 1 项数据资源.*数据项新增 2、修改 1、删除 0/)
})

test('a destructive import names what goes: resources with their data items and map features, or systems with all under them', () => {
  assert.equal(deletingConfirmLabel('resources', { systems: 0, resources: 37, items: 412, features: 1203 }), '确认导入并删除 37 个数据资源（含 412 个数据项、1,203 个地图要素）')
  assert.equal(deletionPhrase('resources', { systems: 0, resources: 2, items: 5, features: 0 }), '2 个数据资源（含 5 个数据项）')
  assert.equal(deletionPhrase('systems', { systems: 1, resources: 2, items: 5, features: 3 }), '1 个业务系统（含 2 个数据资源、5 个数据项、3 个地图要素）')
  assert.equal(deletionPhrase('systems', { systems: 1, resources: 0, items: 0, features: 0 }), '1 个业务系统')
  assert.equal(deletionPhrase('resources', { systems: 0, resources: 0, items: 0, features: 0 }), '')
})

test('annex 2 takes .xlsx only, annex 3 .xlsx or .csv, whatever the case of the extension', () => {
  assert.equal(fileProblem('systems', '应急局附件2.XLSX'), null)
  assert.match(fileProblem('systems', '附件2.csv')!, /附件2 请上传 Excel/)
  assert.equal(fileProblem('resources', '附件3.csv'), null)
  assert.match(fileProblem('resources', '附件3.xls')!, /不是 .xlsx 或 .csv/)
})

test('a round needs a title, both deadlines in order and a department', () => {
  assert.deepEqual(roundProblems({ title: ' ', systemsDeadline: '', resourcesDeadline: '', departmentIds: [] }), {
    title: '请填写批次名称', systemsDeadline: '请填写系统表截止时间', resourcesDeadline: '请填写资源表截止时间', departmentIds: '请至少选择一个部门',
  })
  assert.deepEqual(roundProblems({ title: '2023', systemsDeadline: '2023-03-21T12:00+08:00', resourcesDeadline: '2023-03-20T18:00+08:00', departmentIds: [1] }), {
    resourcesDeadline: '资源表截止时间不能早于系统表截止时间',
  })
  assert.deepEqual(roundProblems({ title: '2023', systemsDeadline: '2023-03-21T12:00+08:00', resourcesDeadline: '2023-03-29T18:00+08:00', departmentIds: [1] }), {})
})

test('form exports carry the catalog filters but not the map-only ones; templates carry the department', () => {
  const url = exportUrl('resources', { ...emptyFilters(), department: ['7'], updateCycle: ['daily', 'weekly'], risk: ['red'], kind: ['pipeline'], q: '燃气' })
  assert.equal(url, `/api/forms/resources/export.xlsx?department=7&updateCycle=daily%2Cweekly&q=${encodeURIComponent('燃气')}`)
  assert.equal(exportUrl('systems', emptyFilters()), '/api/forms/systems/export.xlsx')
  assert.equal(templateUrl('systems', 7), '/api/forms/systems/template.xlsx?department=7')
  assert.equal(templateUrl('resources'), '/api/forms/resources/template.xlsx')
})
