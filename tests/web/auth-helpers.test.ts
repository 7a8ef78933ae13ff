import assert from 'node:assert/strict'
import { test } from 'vitest'
import type { Permissions, Session, SessionUser } from '../../web/api/auth.js'
import { ROLES, anonymousSession, auditParams, canEditDepartment, formatAuditTime, kioskScreenPath, labelFrom, safeNextPath } from '../../web/api/auth.js'

test('after signing in, the app returns to a path on this site and nowhere else', () => {
  assert.equal(safeNextPath('/departments/7?tab=systems#top'), '/departments/7?tab=systems#top')
  assert.equal(safeNextPath('/screen?domain=lifeline&risk=red'), '/screen?domain=lifeline&risk=red')
  assert.equal(safeNextPath(['/admin?tab=audit', '/other']), '/admin?tab=audit', 'the first of a repeated parameter')
  // Off-site in every spelling a browser would follow.
  for (const evil of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', 'javascript:alert(1)', 'evil.example', ' /x']) {
    assert.equal(safeNextPath(evil), '/', JSON.stringify(evil))
  }
  // Missing, empty, not a string, or the sign-in page itself.
  for (const none of [undefined, null, '', 42, {}, '/sign-in', '/sign-in?next=/admin']) assert.equal(safeNextPath(none), '/', JSON.stringify(none))
})

const user = (role: SessionUser['role'], departmentId: number | null): SessionUser => ({
  id: 1, username: 'u', displayName: 'U', role, departmentId, departmentName: null, clearances: [],
})
const session = (role: SessionUser['role'], departmentId: number | null, edit: Permissions['edit']): Session => ({
  ...anonymousSession(),
  user: user(role, departmentId),
  csrfToken: 't',
  permissions: { view: true, export: role === 'analyst' || role === 'admin', edit, admin: role === 'admin' },
})

test('a reporter may edit their own department only; an administrator every department; leaders and analysts none', () => {
  const reporter = session('reporter', 7, 'own')
  assert.equal(canEditDepartment(reporter, 7), true)
  assert.equal(canEditDepartment(reporter, '7'), true, 'a department id from the route is a string')
  assert.equal(canEditDepartment(reporter, 8), false)
  assert.equal(canEditDepartment(reporter, null), false)
  assert.equal(canEditDepartment(reporter, ''), false)

  const admin = session('admin', null, 'all')
  assert.equal(canEditDepartment(admin, 7), true)
  assert.equal(canEditDepartment(admin, 8), true)

  for (const role of ['leader', 'analyst'] as const) {
    assert.equal(canEditDepartment(session(role, 7, 'none'), 7), false, `${role} on their own department`)
  }
  // 'own' without a department of one's own edits nothing.
  assert.equal(canEditDepartment(session('reporter', null, 'own'), 7), false)
})

test('nobody signed in and a wall screen edit nothing, whatever the permissions say', () => {
  assert.equal(canEditDepartment(anonymousSession(), 7), false)
  const wall: Session = { ...anonymousSession(), kiosk: { id: 1, label: '主屏', ceiling: 'internal', query: '' }, permissions: { view: true, export: false, edit: 'all', admin: false } }
  assert.equal(canEditDepartment(wall, 7), false)
})

test('a kiosk link goes to the wall with its filters and the kiosk mark', () => {
  assert.equal(kioskScreenPath('domain=lifeline&risk=red'), '/screen?domain=lifeline&risk=red&kiosk=1')
  assert.equal(kioskScreenPath('?risk=red'), '/screen?risk=red&kiosk=1')
  assert.equal(kioskScreenPath(''), '/screen?kiosk=1')
})

test('audit times show in Beijing time with the zone, whatever zone the server wrote', () => {
  assert.equal(formatAuditTime('2024-03-01T09:05:07.123+08:00'), '2024-03-01 09:05:07 +08:00')
  // Late evening UTC is the next morning in Chongqing.
  assert.equal(formatAuditTime('2024-02-29T23:30:00Z'), '2024-03-01 07:30:00 +08:00')
  assert.equal(formatAuditTime('not a time'), 'not a time')
})

test('the audit query leaves out blank filters and trims the rest', () => {
  const p = auditParams({ from: '2024-03-01', to: '', user: ' zhang.wei ', action: '', result: 'failure', q: '  ', page: 2, pageSize: 50 })
  assert.equal(p.toString(), 'from=2024-03-01&user=zhang.wei&result=failure&page=2&pageSize=50')
})

test('roles read in Chinese; an unknown code shows as itself', () => {
  assert.deepEqual(ROLES.map((r) => labelFrom(ROLES, r.code)), ['领导', '分析人员', '填报人员', '系统管理员'])
  assert.equal(labelFrom(ROLES, 'auditor'), 'auditor')
  assert.equal(labelFrom(ROLES, null), '')
})
