/**
 * Round trips as a property: whatever the catalog holds — names a spreadsheet would run as formulas,
 * apostrophes, odd spaces, full-width and rare characters, different footers per resource — exporting
 * a form and importing it unchanged changes nothing. Names are drawn from a seeded generator, so a
 * failure names its seed and repeats.
 */
import assert from 'node:assert/strict'
import { test } from 'vitest'
import { smallCatalog } from '../helpers/app.js'
import { upload } from '../helpers/forms.js'
import { Random } from '../../server/demo/random.js'

type Catalog = Awaited<ReturnType<typeof smallCatalog>>

/** A deterministic generator (the demo city's), so a run can be repeated. */
function random(seed: number): () => number {
  const r = new Random(seed)
  return () => r.next()
}

const PIECES = [
  "'", "''", '=', '+', '-', '@', '\t', '\r', '\n', ' ', '  ', '\u3000', '\u00a0', '\u200b', '\ufeff', '\u0001',
  '=SUM(1,2)', "=cmd|' /C calc'!A0", '+SUM(1,2)', '-1', '@A1', '"', '<', '>', '&', '&amp;', ']]>', '\\',
  '数据', '资源', '燃气', 'Ａ', 'ａ', 'A', '１', '（', '）', '😀', '\ud800', '𠮷', 'é', 'e\u0301', '、', '☑', '□', '：',
]

function hostileName(next: () => number, minLength = 1): string {
  let s = ''
  const n = 1 + Math.floor(next() * 5)
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(next() * PIECES.length)]
  // Always something visible, so the name is not empty once spaces are folded.
  s += ['甲', '乙', '丙', 'x', "'=y"][Math.floor(next() * 5)]
  return s.length < minLength ? s.padEnd(minLength, '丁') : s
}

async function json(t: Catalog, method: string, path: string, body: unknown) {
  const r = await t.app.request(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const text = await r.text()
  return { status: r.status, body: text ? JSON.parse(text) : null }
}

const footers = [
  { reviewer: '张三', filler: '李四', phone: '023-67810000', filledAt: '2026-03-20' },
  { reviewer: "'=审核", filler: '王五', phone: '13800138000', filledAt: '2026-04-01' },
  { reviewer: '', filler: '', phone: '', filledAt: null },
  { reviewer: '赵六', filler: '+SUM(1,2)填报', phone: '', filledAt: '2025-12-31' },
]

async function roundTrip(t: Catalog, form: 'systems' | 'resources', department: number, seed: number) {
  const res = await t.app.request(`/api/forms/${form}/export.xlsx?department=${department}`)
  assert.equal(res.status, 200)
  const bytes = Buffer.from(await res.arrayBuffer())
  const p = await upload(t.app, `/api/forms/${form}/preview`, bytes, 'export.xlsx', { department: String(department) })
  assert.equal(p.status, 200, `seed ${seed}: ${JSON.stringify(p.body)}`)
  assert.deepEqual(p.body.problems, [], `seed ${seed} ${form}`)
  const s = p.body.summary
  assert.equal(s.added + s.changed + s.removed + s.itemsAdded + s.itemsChanged + s.itemsRemoved, 0,
    `seed ${seed} ${form}: ${JSON.stringify(p.body.changes, null, 1)}`)
  assert.ok(s.unchanged > 0)
}

for (const seed of [1, 2, 3, 4, 5, 6]) {
  test(`export → import changes nothing for hostile names and mixed footers (seed ${seed})`, async () => {
    const t = await smallCatalog()
    const next = random(seed)
    const systemNames = new Set<string>()
    const systems: { id: number; name: string }[] = []
    for (let i = 0; i < 3; i++) {
      const name = `${hostileName(next)}系统${i}`
      const r = await json(t, 'POST', `/api/departments/${t.ids.emergency}/systems`, {
        name, buildLevel: 'district', builder: hostileName(next), operator: '', deployment: 'gov-cloud', runStatus: 'maintained',
        securityLevel: 'level2', sharesData: false, sharingModes: [], networks: ['gov-extranet'], ...footers[i % footers.length],
      })
      assert.equal(r.status, 201, `seed ${seed}: ${JSON.stringify(r.body)} for ${JSON.stringify(name)}`)
      systemNames.add(r.body.name)
      systems.push({ id: r.body.id, name: r.body.name })
    }
    for (let i = 0; i < 8; i++) {
      const system = systems[i % systems.length]!
      const items = [...new Set(Array.from({ length: 1 + Math.floor(next() * 4) }, (_, j) => `${hostileName(next)}${j}`))]
      const r = await json(t, 'POST', `/api/systems/${system.id}/resources`, {
        name: `${hostileName(next)}资源${i}`, subcategoryCode: 'hazardous-chemicals', provisionMode: 'database', updateCycle: 'monthly',
        subjectClass: 'thing', purpose: 'basic', sharingAttribute: 'conditional', sensitivity: 'internal',
        items: items.map((name) => ({ name, dataType: 'C', length: 50 })), ...footers[Math.floor(next() * footers.length)],
      })
      assert.equal(r.status, 201, `seed ${seed}: ${JSON.stringify(r.body)}`)
    }
    await roundTrip(t, 'systems', t.ids.emergency, seed)
    await roundTrip(t, 'resources', t.ids.emergency, seed)
  })
}

test("a resource named '=apostrophe test is exported and imported back as itself", async () => {
  const t = await smallCatalog()
  const sys = ((await t.app.request(`/api/departments/${t.ids.emergency}`).then((r) => r.json())) as { systems: { id: number }[] }).systems[0]!
  const r = await json(t, 'POST', `/api/systems/${sys.id}/resources`, {
    name: "'=apostrophe test", subcategoryCode: 'hazardous-chemicals', provisionMode: 'database', updateCycle: 'monthly',
    subjectClass: 'thing', purpose: 'basic', sharingAttribute: 'conditional', sensitivity: 'internal', items: [{ name: "'+item", dataType: 'C', length: 5 }],
  })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  await roundTrip(t, 'resources', t.ids.emergency, 0)
})
