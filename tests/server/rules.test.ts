import { test } from 'vitest'
import assert from 'node:assert/strict'
import { judgeFreshness, onTimeRate } from '../../server/domain/freshness.js'
import { reportStatus } from '../../server/domain/reporting.js'
import { loadConfig } from '../../server/config.js'

const now = new Date('2026-06-15T04:00:00.000Z')
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString()
const MIN = 60_000
const DAY = 86_400_000

test('freshness is judged against the declared cycle; real-time in minutes; irregular and other not judged', () => {
  assert.equal(judgeFreshness('realtime', ago(5 * MIN), now).status, 'on-time')
  assert.equal(judgeFreshness('realtime', ago(13 * MIN), now).status, 'due-soon')
  const late = judgeFreshness('realtime', ago(45 * MIN), now)
  assert.equal(late.status, 'overdue')
  assert.equal(late.overdueMs, 30 * MIN)
  assert.equal(judgeFreshness('daily', ago(10 * 3600_000), now).status, 'on-time')
  assert.equal(judgeFreshness('daily', ago(2 * DAY), now).status, 'overdue')
  assert.equal(judgeFreshness('monthly', ago(27 * DAY), now).status, 'due-soon')
  assert.equal(judgeFreshness('yearly', ago(200 * DAY), now).status, 'on-time')
  assert.equal(judgeFreshness('yearly', ago(300 * DAY), now).status, 'due-soon')
  assert.equal(judgeFreshness('yearly', ago(367 * DAY), now).status, 'overdue')
  assert.equal(judgeFreshness('monthly', null, now).status, 'never')
  assert.equal(judgeFreshness('irregular', ago(900 * DAY), now).status, 'not-judged')
  assert.equal(judgeFreshness('other', null, now).status, 'not-judged')
  assert.equal(judgeFreshness('weekly', ago(DAY), now).dueAt, new Date(now.getTime() + 6 * DAY).toISOString())
})

test('the on-time rate counts never-updated resources against a department and ignores unjudged ones', () => {
  assert.equal(onTimeRate({ 'on-time': 3, 'due-soon': 1, overdue: 2, never: 2, 'not-judged': 5 }), 0.5)
  assert.equal(onTimeRate({ 'not-judged': 5 }), null)
})

test('reporting status distinguishes not started, no systems, systems, resources and late', () => {
  const round = { systemsDeadline: '2022-03-21T04:00:00.000Z', resourcesDeadline: '2022-03-29T10:00:00.000Z' }
  const before = new Date('2022-03-20T00:00:00Z')
  const after = new Date('2022-04-10T00:00:00Z')
  const none = { noSystems: false, systemsReportedAt: null, resourcesReportedAt: null }
  assert.deepEqual(reportStatus(none, round, before), { status: 'not-started', systemsLate: false, resourcesLate: false })
  assert.deepEqual(reportStatus(none, round, after), { status: 'not-started', systemsLate: true, resourcesLate: true })
  assert.equal(reportStatus({ ...none, noSystems: true, systemsReportedAt: '2022-03-20T00:00:00Z' }, round, after).status, 'no-systems')
  assert.equal(reportStatus({ ...none, systemsReportedAt: '2022-03-21T03:59:00Z' }, round, before).status, 'systems-reported')
  const sysOnly = reportStatus({ ...none, systemsReportedAt: '2022-03-21T03:59:00Z' }, round, after)
  assert.deepEqual(sysOnly, { status: 'systems-reported', systemsLate: false, resourcesLate: true })
  assert.equal(reportStatus({ ...none, systemsReportedAt: '2022-03-21T03:59:00Z', resourcesReportedAt: '2022-03-29T09:00:00Z' }, round, after).status, 'resources-reported')
  assert.equal(reportStatus({ ...none, systemsReportedAt: '2022-03-21T04:01:00Z', resourcesReportedAt: '2022-03-29T09:00:00Z' }, round, after).status, 'late')
})

test('configuration has safe defaults and refuses bad values with a clear message', () => {
  const c = loadConfig({})
  assert.equal(c.port, 8787)
  assert.equal(c.host, '127.0.0.1')
  assert.match(c.databaseFile!, /data\/atlas\.sqlite$/)
  assert.equal(loadConfig({ DATABASE_URL: 'sqlite:/tmp/x.sqlite' }).databaseFile, '/tmp/x.sqlite')
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/)
  assert.throws(() => loadConfig({ DEMO: 'maybe' }), /DEMO/)
  const pg = loadConfig({ DATABASE_URL: 'postgres://atlas@db.example:5432/atlas', DATABASE_READ_URL: 'postgres://atlas@replica.example:5432/atlas' })
  assert.equal(pg.databaseFile, null)
  assert.equal(pg.databaseUrl, 'postgres://atlas@db.example:5432/atlas')
  assert.equal(pg.databaseReadUrl, 'postgres://atlas@replica.example:5432/atlas')
  assert.throws(() => loadConfig({ DATABASE_READ_URL: 'postgres://replica/atlas' }), /DATABASE_READ_URL: read replicas need DATABASE_URL to be a postgres:\/\/ URL/)
  assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://p/atlas', DATABASE_READ_URL: 'replica.sqlite' }), /DATABASE_READ_URL: must be a postgres:\/\/ URL/)
})
