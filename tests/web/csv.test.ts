import assert from 'node:assert/strict'
import { test } from 'vitest'
import { csvCell, toCsv } from '../../web/export/csv.js'

test('cells that would start a formula are neutralised with an apostrophe', () => {
  assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`)
  assert.equal(csvCell('+1'), "'+1")
  assert.equal(csvCell('-2+3'), "'-2+3")
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)")
  assert.equal(csvCell('\tcmd'), "'\tcmd")
})

test('numbers stay numbers, even negative ones', () => {
  assert.equal(csvCell(-5), '-5')
  assert.equal(csvCell(42), '42')
})

test('quotes, commas and line breaks are quoted per RFC 4180', () => {
  assert.equal(csvCell('a,b'), '"a,b"')
  assert.equal(csvCell('说"明"'), '"说""明"""')
  assert.equal(csvCell('一\n二'), '"一\n二"')
  assert.equal(csvCell(null), '')
})

test('a table becomes CRLF lines with a header row', () => {
  const csv = toCsv([{ name: '燃气管网基础信息', n: 3 }, { name: '=cmd', n: 0 }], [
    { header: '名称', value: (r) => r.name },
    { header: '数量', value: (r) => r.n },
  ])
  assert.equal(csv, "名称,数量\r\n燃气管网基础信息,3\r\n'=cmd,0\r\n")
})
