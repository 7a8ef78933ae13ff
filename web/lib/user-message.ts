import { ApiError } from '../api/client.js'

/**
 * A failed request in Chinese, for the people using the app. The API's own messages stay as they are
 * for its clients; many are Chinese already (forms, sign-in, refusals) and are shown as they come, and
 * the rest (validation of parameters, "… does not exist", a proxy's status line, the browser's network
 * errors) are said here by their kind. Grading and alarm forms have their own, more precise helpers
 * (risk-display.ts riskProblem, alarm-labels.ts problemText).
 */

const HAS_CHINESE = /[\u4e00-\u9fff]/

/** Request parameters as the filters and forms name them. */
const PARAMETERS: Record<string, string> = {
  q: '搜索词',
  domain: '领域',
  subcategory: '子类',
  department: '部门',
  system: '业务系统',
  resource: '数据资源',
  updateCycle: '更新周期',
  sharingMode: '提供数据方式',
  sensitivity: '敏感级别',
  freshness: '更新及时性',
  district: '区县',
  kind: '要素类型',
  risk: '风险等级',
  bbox: '地图范围',
  page: '页码',
  pageSize: '每页条数',
  limit: '条数',
  id: '编号',
  file: '文件',
  mode: '导入方式',
  planHash: '预览标识',
  username: '用户名',
  password: '密码',
  name: '名称',
  title: '标题',
}

/** The name of a request parameter in words (items.3.name → 名称). */
export function parameterLabel(parameter: string): string {
  const parts = parameter.split('.').filter((p) => !/^\d+$/.test(p))
  for (let i = parts.length - 1; i >= 0; i--) {
    const label = PARAMETERS[parts[i]!]
    if (label) return label
  }
  return ''
}

/** A 400's message: the server's when it is Chinese, else which parameter is wrong. */
function invalidText(e: ApiError): string {
  const issues = (e.details.issues as { parameter: string; message: string }[] | undefined) ?? []
  const chinese = [e.message, ...issues.map((i) => i.message)].find((m) => HAS_CHINESE.test(m))
  if (chinese) return chinese
  const parameter = String(e.details.parameter ?? issues[0]?.parameter ?? '')
  const label = parameterLabel(parameter)
  if (/^unknown |not an id|expected one of/.test(issues[0]?.message ?? e.message.replace(/^invalid [\w.]+: /, ''))) {
    return label ? `${label}中有不存在的取值，请重新选择` : '请求中有不存在的取值，请重新选择'
  }
  return label ? `${label}填写有误，请检查后重试` : '请求有误，请检查后重试'
}

/** What went wrong with a request, in Chinese and in words a user can act on. */
export function userMessage(e: unknown): string {
  if (!(e instanceof ApiError)) {
    if ((e as Error)?.name === 'AbortError') return '请求已取消'
    // fetch's TypeError ("Failed to fetch", "NetworkError when attempting to fetch resource") and the like.
    return '无法连接服务器，请检查网络后重试'
  }
  if (e.status === 400) return invalidText(e)
  if (e.status >= 500) return e.status === 503 && HAS_CHINESE.test(e.message) ? e.message : `服务器出错（${e.status}），请稍后重试`
  if (HAS_CHINESE.test(e.message)) return e.message
  switch (e.status) {
    case 401: return '登录已失效，请重新登录'
    case 403: return '无权查看或操作：您的角色或所属部门没有该权限'
    case 404: return '要找的内容不存在（可能已被删除），或您无权查看'
    case 409: return '数据已被他人更改，请刷新后重试'
    case 413: return '文件或请求过大'
    case 429: return '操作过于频繁，请稍后再试'
    default: return `请求失败（${e.status}），请稍后重试`
  }
}
