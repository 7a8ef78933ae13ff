import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'vitest'
import { annex3Workbook, unzip, upload, zip } from '../helpers/forms.js'
import { smallCatalog } from '../helpers/app.js'
import { FORM_LIMITS } from '../../server/forms/file-guard.js'

type Catalog = Awaited<ReturnType<typeof smallCatalog>>

/** A real annex-3 workbook rebuilt with its first sheet's XML replaced. */
async function withSheet(xml: string | Buffer, declaredSize?: number): Promise<Buffer> {
  const parts = unzip(await annex3Workbook([['渝北区应急局', '危化品监管系统', '危险化学品安全', 'x', '数据库', 'y', 'C', 1, '每月']]))
  return zip(parts.map((p) => p.name === 'xl/worksheets/sheet1.xml'
    ? { name: p.name, data: Buffer.isBuffer(xml) ? xml : Buffer.from(xml), ...(declaredSize !== undefined ? { declaredSize } : {}) }
    : p))
}

async function refused(t: Catalog, bytes: Buffer, name = 'form.xlsx') {
  const items = async () => Number((await t.db.kysely.selectFrom('data_items').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
  const before = await items()
  const r = await upload(t.app, '/api/forms/resources/preview', bytes, name, { department: String(t.ids.emergency) })
  assert.equal(await items(), before)
  return r
}

const SHEET_START = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
const SHEET_END = '</sheetData></worksheet>'

test('a file over the size limit is refused with 413 before it is read', async () => {
  const t = await smallCatalog()
  const r = await refused(t, randomBytes(11 * 1024 * 1024))
  assert.equal(r.status, 413)
  assert.equal(r.body.error.code, 'too_large')
  assert.match(r.body.error.message, /超过上限 10 MB/)
})

test('zip bombs are refused: a part that inflates past its declared size, a huge declared total, an absurd ratio', async () => {
  const t = await smallCatalog()
  const zeros = Buffer.alloc(40 * 1024 * 1024, 0x20)
  const lying = await refused(t, await withSheet(Buffer.concat([Buffer.from(SHEET_START), zeros, Buffer.from(SHEET_END)]), 4096))
  assert.equal(lying.status, 400)
  assert.equal(lying.body.error.code, 'zip_bomb')
  assert.match(lying.body.error.message, /超过其声明的大小，疑似压缩炸弹/)
  const honest = await refused(t, await withSheet(Buffer.concat([Buffer.from(SHEET_START), Buffer.alloc(70 * 1024 * 1024, 0x20), Buffer.from(SHEET_END)])))
  assert.equal(honest.body.error.code, 'zip_bomb')
  assert.match(honest.body.error.message, /解压后共 70 MB，超过上限 60 MB/)
  const ratio = await refused(t, await withSheet(Buffer.concat([Buffer.from(SHEET_START), Buffer.alloc(30 * 1024 * 1024, 0x20), Buffer.from(SHEET_END)])))
  assert.equal(ratio.body.error.code, 'zip_bomb')
  assert.match(ratio.body.error.message, /压缩比 \d+:1 异常/)
})

test('XML entities (XXE, billion laughs) are refused before any XML parser runs', async () => {
  const t = await smallCatalog()
  const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${SHEET_START.replace(/^<\?xml[^>]*\?>/, '')}<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>${SHEET_END}`
  const r = await refused(t, await withSheet(xxe))
  assert.equal(r.status, 400)
  assert.equal(r.body.error.code, 'unsafe_xml')
  assert.match(r.body.error.message, /XML 实体声明/)
  const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><worksheet/>`
  assert.equal((await refused(t, await withSheet(laughs))).body.error.code, 'unsafe_xml')
})

test('files that are not xlsx are refused by their content, whatever their name', async () => {
  const t = await smallCatalog()
  const text = await refused(t, Buffer.from('姓名,电话\n张三,123\n'), '表格.xlsx')
  assert.equal(text.body.error.code, 'not_xlsx')
  assert.match(text.body.error.message, /不是有效的 Excel \(\.xlsx\) 文件/)
  const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), randomBytes(2048)])
  assert.match((await refused(t, ole, '旧表.xlsx')).body.error.message, /Excel 97-2003 \(\.xls\)/)
  assert.match((await refused(t, ole, '旧表.xls')).body.error.message, /另存为” \.xlsx/)
  const otherZip = zip([{ name: 'readme.txt', data: Buffer.from('hello') }])
  assert.match((await refused(t, otherZip)).body.error.message, /缺少 workbook\.xml/)
  const truncated = (await annex3Workbook([])).subarray(0, 2000)
  assert.equal((await refused(t, truncated)).status, 400)
})

test('a sheet with 1,000,000 rows is refused without being parsed, and memory stays bounded', async () => {
  const t = await smallCatalog()
  const rows: string[] = []
  for (let i = 1; i <= 1_000_000; i++) rows.push(`<row r="${i}"/>`)
  const bytes = await withSheet(SHEET_START + rows.join('') + SHEET_END)
  assert.ok(bytes.length < 10 * 1024 * 1024, `the million-row file (${bytes.length} bytes) fits the upload limit`)
  global.gc?.()
  const rssBefore = process.memoryUsage().rss
  const r = await refused(t, bytes)
  assert.equal(r.status, 400)
  assert.equal(r.body.error.code, 'too_many_rows')
  assert.match(r.body.error.message, /1,000,000 行，超过上限 20,000 行/)
  const grown = (process.memoryUsage().rss - rssBefore) / 1024 / 1024
  assert.ok(grown < 300, `RSS grew ${grown.toFixed(0)} MB`)
  // The app still answers.
  assert.equal((await t.app.request('/api/meta')).status, 200)
})

test('merges over whole sheets are refused before a parser expands them cell by cell; drop-downs over whole sheets are never expanded', async () => {
  const t = await smallCatalog()
  const merge = `${SHEET_START}<row r="1"/>${'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>'}`
  const r = await refused(t, await withSheet(merge))
  assert.equal(r.body.error.code, 'too_large_ranges')
  const dv = `${SHEET_START}<row r="1"/></sheetData><dataValidations count="1"><dataValidation type="list" sqref="A1:XFD1048576"><formula1>"a,b"</formula1></dataValidation></dataValidations></worksheet>`
  const whole = await refused(t, await withSheet(dv))
  assert.equal(whole.status, 200, JSON.stringify(whole.body))
  // A drop-down over one whole column (as reporters do) is accepted.
  const column = `${SHEET_START}<row r="1"/></sheetData><dataValidations count="1"><dataValidation type="list" sqref="C1:C1048576"><formula1>"a,b"</formula1></dataValidation></dataValidations></worksheet>`
  assert.equal((await refused(t, await withSheet(column))).status, 200)
})

test("a workbook with more cells than a form can hold is refused (the parser's memory is bounded by the cell count)", async () => {
  const t = await smallCatalog()
  const cells: string[] = []
  for (let r = 1; r <= FORM_LIMITS.maxCells / 20 + 100; r++) cells.push(`<row r="${r}">${'<c t="inlineStr"><is><t>x</t></is></c>'.repeat(20)}</row>`)
  const r = await refused(t, await withSheet(SHEET_START + cells.join('') + SHEET_END))
  assert.equal(r.status, 400)
  assert.equal(r.body.error.code, 'too_many_cells')
  assert.match(r.body.error.message, new RegExp(`单元格数量超过上限 ${FORM_LIMITS.maxCells.toLocaleString('zh-CN')} 个`))
})

/** The annex-3 workbook with XML added to its first sheet's rows, or its worksheet part renamed. */
async function withExtraRows(rowsXml: string, o: { partName?: string } = {}): Promise<Buffer> {
  const parts = unzip(await annex3Workbook([['渝北区应急局', '危化品监管系统', '危险化学品安全', 'x', '数据库', 'y', 'C', 1, '每月']]))
  return zip(parts.map((p) => p.name === 'xl/worksheets/sheet1.xml'
    ? { name: o.partName ?? p.name, data: Buffer.from(p.data.toString('utf8').replace('</sheetData>', `${rowsXml}</sheetData>`)) }
    : p))
}

test('one stray cell far away (XFD1048576, K1048576, XFD200) is refused at once, naming the cell', async () => {
  const t = await smallCatalog()
  for (const [at, row] of [['XFD1048576', 1048576], ['K1048576', 1048576], ['XFD200', 200]] as const) {
    const bytes = await withExtraRows(`<row r="${row}"><c r="${at}" t="inlineStr"><is><t>多余</t></is></c></row>`)
    assert.ok(bytes.length < 10_000, `a small file (${bytes.length} bytes)`)
    const r = await refused(t, bytes)
    assert.equal(r.status, 400)
    assert.equal(r.body.error.code, 'outside_extent')
    assert.match(r.body.error.message, new RegExp(`单元格 ${at} 超出了表格的有效范围`))
    assert.match(r.body.error.message, /最多 20,000 行、64 列/)
  }
  // A cell without an address is placed after the one before it, and judged by that place too.
  const implied = await refused(t, await withExtraRows(`<row r="30"><c r="BL30" t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c></row>`))
  assert.match(implied.body.error.message, /单元格 BM30 超出/)
  assert.equal((await t.app.request('/api/meta')).status, 200)
})

test('empty rows far down (formatting only) do not make the form bigger than what is filled in', async () => {
  const t = await smallCatalog()
  const r = await refused(t, await withExtraRows('<row r="19000" ht="20" customHeight="1"/>'))
  assert.equal(r.status, 200, JSON.stringify(r.body))
  assert.equal(r.body.canImport, true)
})

test('a worksheet part with an unusual name (leading slash, backslash, prefix) is still counted and refused', async () => {
  const t = await smallCatalog()
  const rows: string[] = []
  for (let r = 6; r < 6 + 2_000; r++) rows.push(`<row r="${r}">${'<c t="inlineStr"><is><t>1</t></is></c>'.repeat(64)}</row>`)
  for (const partName of ['/xl/worksheets/sheet1.xml', 'xl\\worksheets\\sheet1.xml', 'extra/xl/worksheets/sheet1.xml']) {
    const bytes = await withExtraRows(rows.join(''), { partName })
    const r = await refused(t, bytes)
    assert.equal(r.status, 400, `${partName}: ${JSON.stringify(r.body)}`)
    assert.equal(r.body.error.code, 'too_many_cells', partName)
  }
  // The same cells behind a namespace prefix are counted as well.
  const prefixed = zip(unzip(await annex3Workbook([])).map((p) => p.name === 'xl/worksheets/sheet1.xml'
    ? { name: p.name, data: Buffer.from(`<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>${rows.join('').replaceAll('<row', '<x:row').replaceAll('</row>', '</x:row>').replaceAll('<c ', '<x:c ').replaceAll('</c>', '</x:c>')}</x:sheetData></x:worksheet>`) }
    : p))
  assert.equal((await refused(t, prefixed)).body.error.code, 'too_many_cells')
})

test('more merged ranges than a form needs are refused before the parser checks each against all the others', async () => {
  const t = await smallCatalog()
  const merges = Array.from({ length: FORM_LIMITS.maxMerges + 1 }, (_, r) => `<mergeCell ref="A${r + 10}:B${r + 10}"/>`).join('')
  const r = await refused(t, await withSheet(`${SHEET_START}<row r="1"/></sheetData><mergeCells count="${FORM_LIMITS.maxMerges + 1}">${merges}</mergeCells></worksheet>`))
  assert.equal(r.status, 400)
  assert.equal(r.body.error.code, 'too_many_merges')
  assert.match(r.body.error.message, /处合并单元格，超过上限 4,000 处/)
})

test('a CSV line of megabytes and a cell past Excel\'s own limit are refused, naming the line and the cell', async () => {
  const t = await smallCatalog()
  const line = await refused(t, Buffer.from(`数据资源提供方,所属业务系统\n${','.repeat(5_000_000)}\n`), 'form.csv')
  assert.equal(line.status, 400)
  assert.equal(line.body.error.code, 'too_long_line')
  assert.match(line.body.error.message, /CSV 文件第 2 行超过 128,000 个字符/)
  const cell = await refused(t, await withExtraRows(`<row r="6"><c r="D6" t="inlineStr"><is><t>${'长'.repeat(40_000)}</t></is></c></row>`))
  assert.equal(cell.status, 400)
  assert.equal(cell.body.error.code, 'too_long_cell')
  assert.match(cell.body.error.message, /单元格 D6 有 40,000 个字符，超过 Excel 单元格的上限 32,767 个/)
})
