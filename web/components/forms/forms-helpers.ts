/**
 * Pure helpers of the survey-forms UI: deadlines as China Standard Time, field errors from the API's
 * issues, the preview grouped for display, and the messages a reporter reads.
 */
import type { FieldIssue, FormKind, ImportSummary, PreviewChange } from '../../api/forms.js'

const TIME_ZONE = 'Asia/Shanghai'

/** The value of a datetime-local input (YYYY-MM-DDTHH:mm) showing an instant in Asia/Shanghai. */
export function shanghaiInputValue(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(d).map((x) => [x.type, x.value]),
  )
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`
}

/**
 * A datetime-local value read as Asia/Shanghai, with its zone, as the API takes it
 * (2022-03-21T12:00 → 2022-03-21T12:00+08:00). China has kept +08:00 all year since 1991.
 * Returns '' for anything that is not a date and time.
 */
export function shanghaiIso(local: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(local.trim())
  return m ? `${m[1]}T${m[2]}+08:00` : ''
}

/** The calendar date (YYYY-MM-DD) of a stored date or instant, in Asia/Shanghai; '' when absent. */
export function shanghaiDate(value: string | null | undefined): string {
  if (!value) return ''
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value
  return shanghaiInputValue(value).slice(0, 10)
}

/**
 * The API's field issues as parameter → message, several messages of one field joined with "；".
 * `items.3.name` stays as it is, so the items table can show it on row 4.
 */
export function fieldErrors(issues: readonly FieldIssue[] | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of issues ?? []) {
    const key = issue.parameter || '_'
    out[key] = out[key] ? `${out[key]}；${issue.message}` : issue.message
  }
  return out
}

/** Issues that no field of the editor shows (so they are listed above the buttons, never lost). */
export function unplacedErrors(errors: Record<string, string>, shown: (key: string) => boolean): string[] {
  return Object.entries(errors).filter(([key]) => !shown(key)).map(([, message]) => message)
}

/** The preview's changes in the order a reporter reads them: added, changed, removed. */
export function groupChanges(changes: readonly PreviewChange[]): { add: PreviewChange[]; change: PreviewChange[]; remove: PreviewChange[] } {
  return {
    add: changes.filter((c) => c.action === 'add'),
    change: changes.filter((c) => c.action === 'change'),
    remove: changes.filter((c) => c.action === 'remove'),
  }
}

/** What a change is about, as one line: department / system / resource. */
export function changeTitle(c: PreviewChange): string {
  return [c.departmentName, c.systemName, c.resourceName].filter((s) => s).join(' / ')
}

/** The headline under a refused upload. */
export function problemsMessage(count: number, shownLimit = 500): string {
  const more = count >= shownLimit ? `（仅列出前 ${shownLimit} 处）` : ''
  return `共 ${count} 处问题，未导入任何数据${more}。请按工作表、行、列修改后重新上传。`
}

/** The message after an import, with its counts. */
export function importedMessage(form: FormKind, s: ImportSummary): string {
  const what = form === 'systems' ? '个系统' : '项数据资源'
  const parts = [`新增 ${s.added} ${what}`, `修改 ${s.changed} ${what}`, `删除 ${s.removed} ${what}`, `未变 ${s.unchanged} ${what}`]
  if (form === 'resources') parts.push(`数据项新增 ${s.itemsAdded}、修改 ${s.itemsChanged}、删除 ${s.itemsRemoved}`)
  return `导入成功：${parts.join('，')}。`
}

/**
 * What an import would delete, in words: "37 个数据资源（含 412 个数据项、1,203 个地图要素）", or for
 * annex 2 "3 个业务系统（含 12 个数据资源、412 个数据项、1,203 个地图要素）"; empty when it deletes nothing.
 */
export function deletionPhrase(form: FormKind, d: ImportSummary['deleted']): string {
  const n = (x: number) => x.toLocaleString('zh-CN')
  const head = form === 'systems' ? `${n(d.systems)} 个业务系统` : `${n(d.resources)} 个数据资源`
  if ((form === 'systems' ? d.systems : d.resources) === 0) return ''
  const under = [
    ...(form === 'systems' && d.resources ? [`${n(d.resources)} 个数据资源`] : []),
    ...(d.items ? [`${n(d.items)} 个数据项`] : []),
    ...(d.features ? [`${n(d.features)} 个地图要素`] : []),
  ]
  return under.length ? `${head}（含 ${under.join('、')}）` : head
}

/** The destructive confirmation's button: it names what goes. */
export function deletingConfirmLabel(form: FormKind, d: ImportSummary['deleted']): string {
  return `确认导入并删除 ${deletionPhrase(form, d)}`
}

/** Checks the chosen file's type before uploading; returns the problem in Chinese, or null. */
export function fileProblem(form: FormKind, fileName: string): string | null {
  if (/\.xlsx$/i.test(fileName)) return null
  if (form === 'resources' && /\.csv$/i.test(fileName)) return null
  return form === 'resources'
    ? `「${fileName}」不是 .xlsx 或 .csv 文件：附件3 请上传 Excel (.xlsx) 或 CSV 文件`
    : `「${fileName}」不是 .xlsx 文件：附件2 请上传 Excel (.xlsx) 文件`
}

/** Checks a round before saving: a title, two real deadlines in order, at least one department. */
export function roundProblems(input: { title: string; systemsDeadline: string; resourcesDeadline: string; departmentIds: readonly number[] }): Record<string, string> {
  const p: Record<string, string> = {}
  if (!input.title.trim()) p.title = '请填写批次名称'
  if (!input.systemsDeadline) p.systemsDeadline = '请填写系统表截止时间'
  if (!input.resourcesDeadline) p.resourcesDeadline = '请填写资源表截止时间'
  if (input.systemsDeadline && input.resourcesDeadline && Date.parse(input.resourcesDeadline) < Date.parse(input.systemsDeadline)) {
    p.resourcesDeadline = '资源表截止时间不能早于系统表截止时间'
  }
  if (input.departmentIds.length === 0) p.departmentIds = '请至少选择一个部门'
  return p
}
