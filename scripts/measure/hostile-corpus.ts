/**
 * A corpus of hostile and malformed uploads, generated (nothing binary is committed): spreadsheets for
 * the two survey forms, CSV, and spatial files for the geodata import. Each file is at most 10 MB, the
 * size a reporter may upload; together they try what an attacker or a careless user would — zip and
 * XML bombs, cells far away, parts under odd names, deep nesting, lying headers, huge counts, broken
 * encodings and geometries. Used by scripts/measure-hostile-uploads.ts.
 */
import { randomBytes } from 'node:crypto'
import ExcelJS from 'exceljs'
import { annex3Workbook, unzip, zip } from '../../tests/helpers/forms.js'
import { csv as csvFile, dbf, kmlDocument, kmz, shapefileZip, shpAndShx } from '../../tests/fixtures/geodata.js'
import { Random } from '../../server/demo/random.js'

export type Target = 'forms-resources' | 'forms-systems' | 'geodata'
export interface HostileFile { group: string; name: string; target: Target; fileName: string; bytes: Buffer }

const MAX_BYTES = 10 * 1024 * 1024
const SHEET_START = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
const SHEET_END = '</sheetData></worksheet>'
const CENTRE: [number, number] = [106.63, 29.72]

/** A deterministic generator (the demo city's), so a run can be repeated. */
function random(seed: number): () => number {
  const r = new Random(seed)
  return () => r.next()
}

export async function hostileCorpus(): Promise<HostileFile[]> {
  const out: HostileFile[] = []
  const add = (group: string, name: string, target: Target, fileName: string, bytes: Buffer) => {
    if (bytes.length <= MAX_BYTES) out.push({ group, name, target, fileName, bytes })
  }
  const base = unzip(await annex3Workbook([['渝北区应急局', '危化品监管系统', '危险化学品安全', 'x', '数据库', 'y', 'C', 1, '每月']]))
  /** The real workbook with its parts changed (by name: replaced; null: removed) or added. */
  const workbook = (change: Record<string, string | Buffer | null>, rename: Record<string, string> = {}) => {
    const parts = base.filter((p) => change[p.name] !== null).map((p) => {
      const c = change[p.name]
      return { name: rename[p.name] ?? p.name, data: c === undefined || c === null ? p.data : Buffer.isBuffer(c) ? c : Buffer.from(c) }
    })
    for (const [name, data] of Object.entries(change)) {
      if (data !== null && !base.some((p) => p.name === name)) parts.push({ name, data: Buffer.isBuffer(data) ? data : Buffer.from(data) })
    }
    return zip(parts)
  }
  const sheet = (xml: string) => workbook({ 'xl/worksheets/sheet1.xml': xml })
  const sheetXml = base.find((p) => p.name === 'xl/worksheets/sheet1.xml')!.data.toString('utf8')
  const withRows = (rows: string) => sheetXml.replace('</sheetData>', `${rows}</sheetData>`)
  const F = 'forms-resources'

  // Cells far away: the parser lays out a grid of the declared size.
  for (const at of ['XFD1048576', 'K1048576', 'XFD200', 'A20001', 'BM1', 'A1048576', 'ZZ5', 'IV65536', 'XFD1', 'AAA300']) {
    const row = Number(/\d+/.exec(at)![0])
    add('far cell', at, F, 'far.xlsx', sheet(withRows(`<row r="${row}"><c r="${at}" t="inlineStr"><is><t>多余</t></is></c></row>`)))
  }
  add('far cell', 'row r=1048576 only', F, 'far.xlsx', sheet(withRows('<row r="1048576" ht="30" customHeight="1"/>')))
  add('far cell', 'styled empty XFD1048576', F, 'far.xlsx', sheet(withRows('<row r="1048576"><c r="XFD1048576" s="1"/></row>')))
  add('far cell', 'dimension A1:XFD1048576', F, 'far.xlsx', sheet(sheetXml.replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD1048576"/>')))
  add('far cell', 'cols min=1 max=16384', F, 'far.xlsx', sheet(sheetXml.replace('<sheetData>', '<cols><col min="1" max="16384" width="9" customWidth="1"/></cols><sheetData>')))
  add('far cell', 'r attribute 99999999999', F, 'far.xlsx', sheet(withRows('<row r="99999999999"><c r="A99999999999" t="inlineStr"><is><t>x</t></is></c></row>')))
  add('far cell', 'negative and garbage r', F, 'far.xlsx', sheet(withRows('<row r="-5"><c r="-A-5" t="inlineStr"><is><t>x</t></is></c><c r="💥"><v>1</v></c></row>')))

  // Many cells, rows, and the same under odd part names.
  const cellRows = (rows: number, perRow: number, from = 6) => {
    const a: string[] = []
    for (let r = from; r < from + rows; r++) a.push(`<row r="${r}">${'<c t="inlineStr"><is><t>1</t></is></c>'.repeat(perRow)}</row>`)
    return a.join('')
  }
  for (const [rows, perRow] of [[1000, 9], [5000, 20], [13000, 9], [2000, 64], [30000, 1], [100000, 1], [19000, 6]] as const) {
    add('many cells', `${rows}×${perRow}`, F, 'cells.xlsx', sheet(withRows(cellRows(rows, perRow))))
  }
  const million: string[] = []
  for (let i = 1; i <= 1_000_000; i++) million.push(`<row r="${i}"/>`)
  add('many cells', '1,000,000 empty rows', F, 'rows.xlsx', sheet(SHEET_START + million.join('') + SHEET_END))
  add('many cells', '2,000,000 cells in one row', F, 'cells.xlsx', sheet(SHEET_START + `<row r="1">${'<c/>'.repeat(2_000_000)}</row>` + SHEET_END))
  const bulk = withRows(cellRows(2000, 64))
  for (const partName of ['/xl/worksheets/sheet1.xml', 'xl\\worksheets\\sheet1.xml', 'extra/xl/worksheets/sheet1.xml', 'xl/worksheets/sheet1.xml.bak', '/xl/worksheets/SHEET1.XML']) {
    add('odd part name', partName, F, 'parts.xlsx', workbook({ 'xl/worksheets/sheet1.xml': bulk }, { 'xl/worksheets/sheet1.xml': partName }))
  }
  add('odd part name', 'duplicate sheet1 entries', F, 'parts.xlsx', zip([...base, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(bulk) }]))
  add('odd part name', 'namespace prefix x:', F, 'parts.xlsx', sheet(bulk.replace(/<(\/?)(worksheet|sheetData|row|c|is|t)\b/g, '<$1x:$2').replace('<x:worksheet ', '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ')))

  // Ranges a parser expands cell by cell.
  for (const ref of ['A1:XFD1048576', 'A1:D1048576', 'A1:IV20000', 'B5:I30000']) {
    add('ranges', `merge ${ref}`, F, 'merge.xlsx', sheet(`${SHEET_START}<row r="1"/></sheetData><mergeCells count="1"><mergeCell ref="${ref}"/></mergeCells></worksheet>`))
    add('ranges', `drop-down ${ref}`, F, 'dv.xlsx', sheet(`${SHEET_START}<row r="1"/></sheetData><dataValidations count="1"><dataValidation type="list" sqref="${ref}"><formula1>"a,b"</formula1></dataValidation></dataValidations></worksheet>`))
    add('ranges', `conditional format ${ref}`, F, 'cf.xlsx', sheet(`${SHEET_START}<row r="1"/></sheetData><conditionalFormatting sqref="${ref}"><cfRule type="expression" priority="1"><formula>TRUE</formula></cfRule></conditionalFormatting></worksheet>`))
  }
  const merges: string[] = []
  for (let r = 1; r <= 100_000; r++) merges.push(`<mergeCell ref="A${r}:B${r}"/>`)
  add('ranges', '100,000 two-cell merges', F, 'merge.xlsx', sheet(`${SHEET_START}<row r="1"/></sheetData><mergeCells count="100000">${merges.join('')}</mergeCells></worksheet>`))
  const dvs: string[] = []
  for (let r = 1; r <= 50_000; r++) dvs.push(`<dataValidation type="list" sqref="A${r}:C${r + 200}"><formula1>"a"</formula1></dataValidation>`)
  add('ranges', '50,000 overlapping drop-downs', F, 'dv.xlsx', sheet(`${SHEET_START}<row r="1"/></sheetData><dataValidations count="50000">${dvs.join('')}</dataValidations></worksheet>`))
  add('ranges', 'x14 drop-down whole sheet', F, 'dv.xlsx', sheet(`${SHEET_START}<row r="1"/></sheetData><extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list"><x14:formula1><xm:f>下拉选项!$A$2:$A$5</xm:f></x14:formula1><xm:sqref>A1:XFD1048576</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>`))
  add('ranges', 'hyperlinks over whole sheet', F, 'links.xlsx', sheet(`${SHEET_START}<row r="1"/></sheetData><hyperlinks><hyperlink ref="A1:XFD1048576" display="x"/></hyperlinks></worksheet>`))

  // Zip bombs and broken zips.
  const spaces = (mb: number) => Buffer.alloc(mb * 1024 * 1024, 0x20)
  add('zip', 'part inflates past its declared size (40 MB as 4 KB)', F, 'bomb.xlsx', zip(base.map((p) => p.name === 'xl/worksheets/sheet1.xml' ? { name: p.name, data: Buffer.concat([Buffer.from(SHEET_START), spaces(40), Buffer.from(SHEET_END)]), declaredSize: 4096 } : p)))
  add('zip', 'honest 70 MB sheet', F, 'bomb.xlsx', sheet(Buffer.concat([Buffer.from(SHEET_START), spaces(70), Buffer.from(SHEET_END)]).toString()))
  add('zip', 'ratio 1000:1 (30 MB)', F, 'bomb.xlsx', sheet(Buffer.concat([Buffer.from(SHEET_START), spaces(30), Buffer.from(SHEET_END)]).toString()))
  add('zip', 'sharedStrings 55 MB', F, 'bomb.xlsx', workbook({ 'xl/sharedStrings.xml': `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${'甲'.repeat(18 * 1024 * 1024)}</t></si></sst>` }))
  add('zip', 'media part 58 MB', F, 'bomb.xlsx', workbook({ 'xl/media/image1.png': randomBytes(8 * 1024 * 1024) }))
  for (const n of [501, 5000, 60000]) add('zip', `${n} entries`, F, 'many.xlsx', zip([...base, ...Array.from({ length: n }, (_, i) => ({ name: `x/${i}.xml`, data: Buffer.from('<a/>') }))]))
  const nested = zip([{ name: 'inner.zip', data: zip([{ name: 'a.xml', data: spaces(50) }]) }])
  add('zip', 'zip inside the workbook', F, 'nested.xlsx', workbook({ 'xl/embeddings/inner.zip': nested }))
  const z64 = workbook({})
  const z64b = Buffer.from(z64)
  z64b.writeUInt16LE(0xffff, z64b.length - 22 + 10)
  add('zip', 'ZIP64 marker', F, 'z64.xlsx', z64b)
  add('zip', 'truncated at 60 %', F, 'cut.xlsx', z64.subarray(0, Math.floor(z64.length * 0.6)))
  add('zip', 'central directory offset past the end', F, 'cd.xlsx', (() => { const b = Buffer.from(z64); b.writeUInt32LE(0x7fffffff, b.length - 22 + 16); return b })())
  add('zip', 'local header offset past the end', F, 'lh.xlsx', (() => {
    const b = Buffer.from(z64)
    const cd = b.readUInt32LE(b.length - 22 + 16)
    b.writeUInt32LE(0x7fffff00, cd + 42)
    return b
  })())
  add('zip', 'stored (method 0) part with a lying size', F, 'stored.xlsx', (() => {
    const b = Buffer.from(z64)
    const cd = b.readUInt32LE(b.length - 22 + 16)
    b.writeUInt16LE(0, cd + 10)
    b.writeUInt32LE(0x0fffffff, cd + 20)
    return b
  })())
  add('zip', 'unknown compression method 99', F, 'm99.xlsx', (() => { const b = Buffer.from(z64); const cd = b.readUInt32LE(b.length - 22 + 16); b.writeUInt16LE(99, cd + 10); return b })())
  add('zip', 'deflate stream of garbage', F, 'garbage.xlsx', zip(base).fill(0x55, 200, 400))

  // XML tricks.
  const doc = (s: string) => sheet(s)
  add('xml', 'XXE file:///etc/passwd', F, 'xxe.xlsx', doc(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${SHEET_START.replace(/^<\?xml[^>]*\?>/, '')}<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>${SHEET_END}`))
  add('xml', 'billion laughs', F, 'laughs.xlsx', doc(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><worksheet><sheetData><row><c t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>`))
  add('xml', 'DOCTYPE in sharedStrings', F, 'dt.xlsx', workbook({ 'xl/sharedStrings.xml': '<!DOCTYPE sst [<!ENTITY a "b">]><sst/>' }))
  add('xml', 'DOCTYPE in workbook.xml.rels', F, 'dt.xlsx', workbook({ 'xl/_rels/workbook.xml.rels': '<!DOCTYPE r SYSTEM "http://127.0.0.1:1/x.dtd"><Relationships/>' }))
  add('xml', 'UTF-16 sheet', F, 'u16.xlsx', doc(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(withRows(''), 'utf16le')]).toString('latin1')))
  add('xml', 'nesting 500,000 deep', F, 'deep.xlsx', doc(SHEET_START + '<row r="1"><c r="A1" t="inlineStr"><is><t>' + '<r>'.repeat(500_000) + '</t></is></c></row>' + SHEET_END))
  add('xml', '5 MB attribute', F, 'attr.xlsx', doc(SHEET_START + `<row r="1" spans="${'1'.repeat(5 * 1024 * 1024)}"><c r="A1"><v>1</v></c></row>` + SHEET_END))
  add('xml', 'unclosed tags', F, 'open.xlsx', doc(SHEET_START + '<row r="1"><c r="A1"><v>1'))
  add('xml', 'sheet is not XML at all', F, 'notxml.xlsx', doc('这不是 XML'.repeat(1000)))
  add('xml', 'empty sheet part', F, 'empty.xlsx', doc(''))
  add('xml', 'processing instructions and comments 1M', F, 'pi.xlsx', doc(SHEET_START + '<!-- x -->'.repeat(500_000) + SHEET_END))
  add('xml', 'CDATA 8 MB', F, 'cdata.xlsx', doc(SHEET_START + `<row r="6"><c r="A6" t="inlineStr"><is><t><![CDATA[${'x'.repeat(8 * 1024 * 1024)}]]></t></is></c></row>` + SHEET_END))
  add('xml', 'shared string index 999,999,999', F, 'sst.xlsx', doc(withRows('<row r="6"><c r="A6" t="s"><v>999999999</v></c></row>')))
  add('xml', 'shared string index -1 and NaN', F, 'sst.xlsx', doc(withRows('<row r="6"><c r="A6" t="s"><v>-1</v></c><c r="B6" t="s"><v>NaN</v></c></row>')))
  const sis = '<si/>'.repeat(1_500_000)
  add('xml', '1,500,000 empty shared strings', F, 'sst.xlsx', workbook({ 'xl/sharedStrings.xml': `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1500000">${sis}</sst>` }))
  add('xml', 'styles with 1,000,000 cellXfs', F, 'styles.xlsx', workbook({ 'xl/styles.xml': `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="1000000">${'<xf numFmtId="0" fontId="0"/>'.repeat(1_000_000)}</cellXfs></styleSheet>` }))
  add('xml', 'rich text 300,000 runs', F, 'rich.xlsx', doc(withRows(`<row r="6"><c r="A6" t="inlineStr"><is>${'<r><t>x</t></r>'.repeat(300_000)}</is></c></row>`)))
  add('xml', 'formula 1 MB, shared over the sheet', F, 'formula.xlsx', doc(withRows(`<row r="6"><c r="A6"><f t="shared" ref="A6:XFD1048576" si="0">${'1+'.repeat(500_000)}1</f><v>1</v></c></row>`)))
  add('xml', 'date cell 1e308 and NaN', F, 'dates.xlsx', doc(withRows('<row r="6"><c r="A6" s="1"><v>1e308</v></c><c r="B6"><v>NaN</v></c><c r="C6" t="d"><v>not a date</v></c><c r="D6" t="n"><v>-1e400</v></c></row>')))
  add('xml', 'sheet named 300 times in workbook.xml', F, 'sheets.xlsx', workbook({ 'xl/workbook.xml': `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${Array.from({ length: 3000 }, (_, i) => `<sheet name="s${i}" sheetId="${i + 1}" r:id="rId1"/>`).join('')}</sheets></workbook>` }))
  add('xml', '400 real worksheet parts', F, 'sheets.xlsx', zip([...base, ...Array.from({ length: 400 }, (_, i) => ({ name: `xl/worksheets/sheet${i + 2}.xml`, data: Buffer.from(withRows('')) }))]))
  add('xml', 'workbook.xml missing', F, 'nowb.xlsx', workbook({ 'xl/workbook.xml': null }))
  add('xml', 'content types missing', F, 'noct.xlsx', workbook({ '[Content_Types].xml': null }))

  // Not a workbook at all.
  add('not xlsx', 'empty file', F, 'empty.xlsx', Buffer.alloc(0))
  add('not xlsx', 'one byte', F, 'one.xlsx', Buffer.from('P'))
  add('not xlsx', 'PK and nothing else', F, 'pk.xlsx', Buffer.from('PK\u0003\u0004'))
  add('not xlsx', 'OLE2 (.xls) header', F, 'old.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), randomBytes(4096)]))
  add('not xlsx', 'random 1 MB', F, 'random.xlsx', randomBytes(1024 * 1024))
  add('not xlsx', 'random 10 MB', F, 'random.xlsx', randomBytes(MAX_BYTES - 1024))
  add('not xlsx', 'a PDF named .xlsx', F, 'doc.xlsx', Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF'))
  add('not xlsx', 'a docx', F, 'doc.xlsx', zip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'word/document.xml', data: Buffer.from('<w:document/>') }]))
  add('not xlsx', 'file name with path and NUL', F, '../../etc/passwd\u0000.xlsx', zip(base))
  add('not xlsx', 'an .exe name', F, 'form.exe', zip(base))

  // A real workbook built by the spreadsheet library, then made odd.
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('摸排表')
  for (let r = 1; r <= 3000; r++) ws.getRow(r).values = ['渝北区应急局', '危化品监管系统', '危险化学品安全', `资源${r % 50}`, '数据库', `数据项${r}`, 'C', r, '每月']
  ws.mergeCells('A1:I1')
  const real = Buffer.from(await wb.xlsx.writeBuffer())
  add('real', '3,000 rows without the form header', F, 'real.xlsx', real)
  add('real', 'systems form given annex 3', 'forms-systems', 'real.xlsx', real)
  add('real', 'systems form with 2,000,000 cells', 'forms-systems', 'cells.xlsx', sheet(SHEET_START + `<row r="1">${'<c/>'.repeat(2_000_000)}</row>` + SHEET_END))
  add('real', 'systems form with XFD1048576', 'forms-systems', 'far.xlsx', sheet(withRows('<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')))

  // Hostile CSV (annex 3 as CSV).
  const C = (name: string, text: string | Buffer) => add('csv form', name, F, 'form.csv', Buffer.isBuffer(text) ? text : Buffer.from(text))
  C('one line of 10 MB', 'a'.repeat(MAX_BYTES - 10))
  C('5,000,000 commas', ','.repeat(5_000_000))
  C('20,100 lines', '数据资源提供方,所属业务系统\n'.repeat(20_100))
  C('5,000,000 empty lines', '\n'.repeat(5_000_000))
  C('unbalanced quote at the start', `"${'x,'.repeat(1_000_000)}`)
  C('NUL bytes', Buffer.alloc(100_000, 0))
  C('invalid UTF-8 and GB18030', randomBytes(500_000))
  C('BOM only', '\ufeff')
  C('1,000,000 tabs', '\t'.repeat(1_000_000))
  C('CR-only line ends, 100,000 lines', 'a,b,c\r'.repeat(100_000))
  C('quotes doubled 2,000,000 times', `"${'""'.repeat(2_000_000)}"`)
  C('formula cells', '=cmd|\' /C calc\'!A0,+SUM(1,2),-1,@A1\n'.repeat(10_000))

  // Geodata: GeoJSON.
  const G = (name: string, fileName: string, data: string | Buffer) => add('geojson', name, 'geodata', fileName, Buffer.isBuffer(data) ? data : Buffer.from(data))
  const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features })
  const pointFeature = (i: number, props: unknown = { name: `点${i}`, kind: '风险点' }) => ({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: [CENTRE[0] + (i % 300) * 1e-4, CENTRE[1] + Math.floor(i / 300) * 1e-4] } })
  for (const depth of [5_000, 100_000, 1_000_000, 4_000_000]) {
    G(`coordinates nested ${depth.toLocaleString()} deep`, 'deep.geojson', `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":${'['.repeat(depth)}${']'.repeat(depth)}}}]}`)
  }
  for (const depth of [50_000, 400_000]) {
    G(`GeometryCollection ${depth.toLocaleString()} deep`, 'gc.geojson', `{"type":"Feature","properties":{},"geometry":${'{"type":"GeometryCollection","geometries":['.repeat(depth)}${']}'.repeat(depth)}}`)
  }
  for (const depth of [200_000, 2_000_000]) G(`properties ${depth.toLocaleString()} deep`, 'props.geojson', `{"type":"Feature","geometry":{"type":"Point","coordinates":[106.6,29.7]},"properties":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`)
  G('arrays in properties 3,000,000 deep', 'props.geojson', `{"type":"Feature","geometry":{"type":"Point","coordinates":[106.6,29.7]},"properties":{"a":${'['.repeat(3_000_000)}${']'.repeat(3_000_000)}}}`)
  G('100,000 points (the feature limit)', 'points.geojson', fc(Array.from({ length: 100_000 }, (_, i) => pointFeature(i))))
  G('120,000 tiny points (over the limit)', 'points.geojson', `{"type":"FeatureCollection","features":[${Array.from({ length: 120_000 }, () => '{"type":"Feature","properties":null,"geometry":{"type":"Point","coordinates":[106.6,29.7]}}').join(',')}]}`)
  const ring = (n: number) => Array.from({ length: n + 1 }, (_, i) => i === n ? [CENTRE[0] + 0.01, CENTRE[1]] : [CENTRE[0] + 0.01 * Math.cos((2 * Math.PI * i) / n), CENTRE[1] + 0.01 * Math.sin((2 * Math.PI * i) / n)])
  G('polygon of 190,000 vertices', 'big.geojson', fc([{ type: 'Feature', properties: { name: '大面' }, geometry: { type: 'Polygon', coordinates: [ring(190_000)] } }]))
  G('polygon of 400,000 vertices', 'big.geojson', fc([{ type: 'Feature', properties: { name: '大面' }, geometry: { type: 'Polygon', coordinates: [ring(400_000)] } }]))
  const zigzag = Array.from({ length: 150_001 }, (_, i) => [CENTRE[0] + (i % 2) * 0.01, CENTRE[1] + i * 1e-6])
  zigzag[zigzag.length - 1] = zigzag[0]!
  G('self-crossing polygon of 150,000 vertices', 'zigzag.geojson', fc([{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [zigzag] } }]))
  G('20 polygons × 95,000 vertices', 'many.geojson', fc(Array.from({ length: 20 }, (_, k) => ({ type: 'Feature', properties: { k }, geometry: { type: 'Polygon', coordinates: [ring(95_000).map(([x, y]) => [x! + k * 0.03, y!])] } }))))
  G('bow-tie', 'bowtie.geojson', fc([{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[106.6, 29.7], [106.61, 29.71], [106.61, 29.7], [106.6, 29.71], [106.6, 29.7]]] } }]))
  G('10,000 holes crossing their shells', 'holes.geojson', fc([{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring(64), ...Array.from({ length: 10_000 }, (_, i) => ring(16).map(([x, y]) => [x! + 0.01 + i * 1e-7, y!]))] } }]))
  G('ring of four identical points × 10,000', 'same.geojson', fc(Array.from({ length: 10_000 }, () => ({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[106.6, 29.7], [106.6, 29.7], [106.6, 29.7], [106.6, 29.7]]] } }))))
  G('coordinates NaN, strings, 1e308, nulls', 'bad.geojson', fc([
    { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: ['106.6', '29.7'] } },
    { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [1e308, -1e308] } },
    { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [null, null] } },
    { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [] } },
    { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[106.6, 29.7]] } },
    { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[106.6, 29.7]]] } },
    { type: 'Feature', properties: {}, geometry: { type: 'Hexagon', coordinates: [1, 2] } },
    { type: 'Feature', properties: {}, geometry: null },
    { type: 'Feature' }, 42, null, 'x', [],
  ]))
  G('numbers of 1,000,000 digits', 'num.geojson', `{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1${'0'.repeat(1_000_000)},29.7]}}`)
  G('a 9 MB string property', 'str.geojson', JSON.stringify({ type: 'Feature', properties: { name: 'x'.repeat(9 * 1024 * 1024) }, geometry: { type: 'Point', coordinates: CENTRE } }))
  G('1,000 properties × 100,000 features header', 'wide.geojson', fc(Array.from({ length: 2_000 }, (_, i) => pointFeature(i, Object.fromEntries(Array.from({ length: 300 }, (_, j) => [`列${j}`, j]))))))
  G('4,000 distinct property names', 'cols.geojson', fc(Array.from({ length: 4_000 }, (_, i) => pointFeature(i, { [`列${i}`]: i }))))
  G('unterminated', 'cut.geojson', fc(Array.from({ length: 10_000 }, (_, i) => pointFeature(i))).slice(0, 300_000))
  G('just [', 'x.geojson', '[')
  G('10 MB of whitespace then {', 'ws.geojson', ' '.repeat(MAX_BYTES - 10) + '{')
  G('__proto__ and constructor properties', 'proto.geojson', '{"type":"FeatureCollection","__proto__":{"polluted":1},"features":[{"type":"Feature","properties":{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}},"geometry":{"type":"Point","coordinates":[106.6,29.7]}}]}')
  G('duplicate keys 1,000,000', 'dup.geojson', `{${'"type":"x",'.repeat(1_000_000)}"type":"FeatureCollection","features":[]}`)
  G('UTF-16 GeoJSON', 'u16.geojson', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fc([pointFeature(1)]), 'utf16le')]))
  G('MultiPolygon of 5,000 overlapping shells', 'mp.geojson', fc([{ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: Array.from({ length: 5_000 }, (_, i) => [ring(32).map(([x, y]) => [x! + i * 1e-5, y!])]) } }]))
  G('outside China and across the antimeridian', 'far.geojson', fc([{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[179.9, 0], [-179.9, 0], [0, 90], [0, -90]] } }]))

  // Geodata: KML and KMZ.
  const K = (name: string, fileName: string, data: string | Buffer) => add('kml', name, 'geodata', fileName, Buffer.isBuffer(data) ? data : Buffer.from(data))
  K('XXE', 'x.kml', `<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY e SYSTEM "file:///etc/passwd">]><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&e;</name><Point><coordinates>106.6,29.7</coordinates></Point></Placemark></kml>`)
  K('billion laughs', 'x.kml', `<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><kml><Placemark><name>&d;&d;&d;</name></Placemark></kml>`)
  K('Folders nested 200,000 deep', 'deep.kml', `<kml xmlns="http://www.opengis.net/kml/2.2">${'<Folder>'.repeat(200_000)}<Placemark><Point><coordinates>106.6,29.7</coordinates></Point></Placemark>${'</Folder>'.repeat(200_000)}</kml>`)
  K('MultiGeometry nested 100,000 deep', 'deep.kml', `<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark>${'<MultiGeometry>'.repeat(100_000)}<Point><coordinates>106.6,29.7</coordinates></Point>${'</MultiGeometry>'.repeat(100_000)}</Placemark></kml>`)
  K('100,000 placemarks', 'many.kml', kmlDocument(Array.from({ length: 100_000 }, (_, i) => ({ name: `p${i}`, point: [CENTRE[0] + (i % 300) * 1e-4, CENTRE[1] + Math.floor(i / 300) * 1e-4] as [number, number] }))))
  K('one coordinates element of 8 MB', 'big.kml', `<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><LineString><coordinates>${'106.6,29.7 '.repeat(700_000)}</coordinates></LineString></Placemark></kml>`)
  K('ExtendedData with 50,000 fields', 'wide.kml', `<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><ExtendedData>${Array.from({ length: 50_000 }, (_, i) => `<Data name="f${i}"><value>${i}</value></Data>`).join('')}</ExtendedData><Point><coordinates>106.6,29.7</coordinates></Point></Placemark></kml>`)
  K('unclosed', 'cut.kml', '<kml><Placemark><Point><coordinates>106.6,29.7')
  K('not KML XML', 'x.kml', '<svg xmlns="http://www.w3.org/2000/svg"/>')
  K('KMZ bomb (lying size)', 'x.kmz', zip([{ name: 'doc.kml', data: Buffer.concat([Buffer.from('<kml>'), Buffer.alloc(60 * 1024 * 1024, 0x20), Buffer.from('</kml>')]), declaredSize: 100 }]))
  K('KMZ of 99 MB spaces', 'x.kmz', kmz(`<kml>${' '.repeat(99 * 1024 * 1024)}</kml>`))
  K('KMZ with 10,000 entries', 'x.kmz', zip(Array.from({ length: 10_000 }, (_, i) => ({ name: `${i}.kml`, data: Buffer.from('<kml/>') }))))
  K('KMZ with no KML inside', 'x.kmz', zip([{ name: 'a.txt', data: Buffer.from('x') }]))

  // Geodata: shapefiles with lying headers.
  const S = (name: string, data: Buffer) => add('shapefile', name, 'geodata', 'shape.zip', data)
  const pts = Array.from({ length: 10 }, (_, i) => ({ geometry: { type: 'Point' as const, coordinates: [CENTRE[0] + i * 1e-3, CENTRE[1]] as [number, number] }, attributes: [`点${i}`] }))
  const good = shapefileZip({ shapeType: 1, records: pts, fields: [{ name: 'NAME', type: 'C', length: 20 }] })
  S('a good one (control)', good)
  const parts = unzip(good)
  const shapeParts = (change: (name: string, data: Buffer) => Buffer | null) => zip(parts.flatMap((p) => { const d = change(p.name, Buffer.from(p.data)); return d ? [{ name: p.name, data: d }] : [] }))
  S('record length claims 2 GB', shapeParts((n, d) => { if (/\.shp$/i.test(n)) d.writeInt32BE(0x3fffffff, 100 + 4); return d }))
  S('file length claims 2 GB', shapeParts((n, d) => { if (/\.shp$/i.test(n)) d.writeInt32BE(0x3fffffff, 24); return d }))
  const { shp: lineShp, shx: lineShx } = shpAndShx(3, [{ type: 'LineString', coordinates: [[106.6, 29.7], [106.61, 29.71]] }])
  const liePoints = Buffer.from(lineShp)
  liePoints.writeInt32LE(0x7fffffff, 100 + 8 + 40)
  S('polyline claims 2,147,483,647 points', zip([{ name: 'a.shp', data: liePoints }, { name: 'a.shx', data: lineShx }, { name: 'a.dbf', data: dbf([{ name: 'N', type: 'C', length: 5 }], [['x']]) }]))
  const lieParts = Buffer.from(lineShp)
  lieParts.writeInt32LE(0x7fffffff, 100 + 8 + 36)
  S('polyline claims 2,147,483,647 parts', zip([{ name: 'a.shp', data: lieParts }, { name: 'a.shx', data: lineShx }, { name: 'a.dbf', data: dbf([{ name: 'N', type: 'C', length: 5 }], [['x']]) }]))
  S('dbf claims 1,000,000,000 records', shapeParts((n, d) => { if (/\.dbf$/i.test(n)) d.writeUInt32LE(1_000_000_000, 4); return d }))
  S('dbf header length 65,535', shapeParts((n, d) => { if (/\.dbf$/i.test(n)) d.writeUInt16LE(0xffff, 8); return d }))
  S('dbf record length 65,535', shapeParts((n, d) => { if (/\.dbf$/i.test(n)) d.writeUInt16LE(0xffff, 10); return d }))
  S('dbf with 255 fields × 254 bytes', zip([...parts.filter((p) => !/\.dbf$/i.test(p.name)), { name: 'pts.dbf', data: dbf(Array.from({ length: 255 }, (_, i) => ({ name: `F${i}`, type: 'C' as const, length: 254 })), pts.map(() => Array.from({ length: 255 }, () => 'x'))) }]))
  S('no .dbf', shapeParts((n, d) => (/\.dbf$/i.test(n) ? null : d)))
  S('no .shp', shapeParts((n, d) => (/\.shp$/i.test(n) ? null : d)))
  S('shape type 31 (MultiPatch)', shapeParts((n, d) => { if (/\.shp$/i.test(n)) { d.writeInt32LE(31, 32); d.writeInt32LE(31, 108) } return d }))
  S('truncated .shp', shapeParts((n, d) => (/\.shp$/i.test(n) ? d.subarray(0, 110) : d)))
  S('random .shp', shapeParts((n, d) => (/\.shp$/i.test(n) ? randomBytes(d.length) : d)))
  S('prj of 1 MB', shapeParts((n, d) => (/\.prj$/i.test(n) ? Buffer.from('PROJCS['.repeat(150_000)) : d)))
  S('cpg naming an unknown encoding', zip([...parts, { name: 'pts.cpg', data: Buffer.from('EBCDIC-1047') }]))
  S('60 entries', zip([...parts, ...Array.from({ length: 60 }, (_, i) => ({ name: `x${i}.txt`, data: Buffer.from('x') }))]))
  S('100,000 points', shapefileZip({ shapeType: 1, records: Array.from({ length: 100_000 }, (_, i) => ({ geometry: { type: 'Point' as const, coordinates: [CENTRE[0] + (i % 300) * 1e-4, CENTRE[1] + Math.floor(i / 300) * 1e-4] as [number, number] }, attributes: [`p${i}`] })), fields: [{ name: 'NAME', type: 'C', length: 10 }] }))
  S('bow-tie polygon', shapefileZip({ shapeType: 5, records: [{ geometry: { type: 'Polygon', coordinates: [[[106.6, 29.7], [106.6, 29.71], [106.61, 29.7], [106.61, 29.71], [106.6, 29.7]]] }, attributes: ['x'] }], fields: [{ name: 'NAME', type: 'C', length: 10 }] }))
  S('zip bomb in the .dbf', zip([...parts.filter((p) => !/\.dbf$/i.test(p.name)), { name: 'pts.dbf', data: Buffer.alloc(99 * 1024 * 1024, 0x20) }]))

  // Geodata: CSV with coordinates or WKT.
  const V = (name: string, data: Buffer) => add('csv geodata', name, 'geodata', 'points.csv', data)
  V('WKT nested 1,000,000 deep', Buffer.from(`名称,WKT\n"x","POLYGON${'('.repeat(1_000_000)}106.6 29.7${')'.repeat(1_000_000)}"\n`))
  V('WKT GEOMETRYCOLLECTION 100,000 deep', Buffer.from(`名称,WKT\n"x","${'GEOMETRYCOLLECTION('.repeat(100_000)}POINT(106.6 29.7)${')'.repeat(100_000)}"\n`))
  V('WKT of 9 MB', Buffer.from(`名称,WKT\n"x","LINESTRING(${Array.from({ length: 400_000 }, (_, i) => `106.${i % 1000} 29.7`).join(',')})"\n`))
  V('100,001 rows', csvFile([['名称', '经度', '纬度'], ...Array.from({ length: 100_001 }, (_, i) => [`p${i}`, 106.6 + (i % 300) * 1e-4, 29.7])]))
  V('5,000 columns', csvFile([Array.from({ length: 5_000 }, (_, i) => `c${i}`), Array.from({ length: 5_000 }, (_, i) => i)]))
  V('lon/lat as 1e308, NaN, Infinity, hex', csvFile([['名称', '经度', '纬度'], ['a', '1e308', '29.7'], ['b', 'NaN', 'NaN'], ['c', 'Infinity', '-Infinity'], ['d', '0x6A', '0x1D']]))
  V('GBK declared, random bytes', randomBytes(2 * 1024 * 1024))
  V('one unterminated quote over 9 MB', Buffer.from(`名称,经度,纬度\n"${'x'.repeat(9 * 1024 * 1024)}`))
  V('CSV injection names', csvFile([['名称', '经度', '纬度'], ...Array.from({ length: 1000 }, () => ['=cmd|\' /C calc\'!A0', '106.6', '29.7'])]))

  // Fuzzed variants of a real workbook and a real GeoJSON: random bytes flipped.
  const next = random(20261205)
  const realForm = zip(base)
  const realGeo = Buffer.from(fc(Array.from({ length: 200 }, (_, i) => pointFeature(i))))
  for (let i = 0; i < 30; i++) {
    const src = i % 2 === 0 ? realForm : realGeo
    const b = Buffer.from(src)
    const flips = 1 + Math.floor(next() * 40)
    for (let k = 0; k < flips; k++) b[Math.floor(next() * b.length)] = Math.floor(next() * 256)
    if (i % 2 === 0) add('fuzzed', `workbook with ${flips} bytes changed (#${i})`, F, 'fuzz.xlsx', b)
    else add('fuzzed', `GeoJSON with ${flips} bytes changed (#${i})`, 'geodata', 'fuzz.geojson', b)
  }
  return out
}

