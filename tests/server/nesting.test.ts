import assert from 'node:assert/strict'
import { test } from 'vitest'
import { jsonTooDeepAt, xmlTooDeepAt } from '../../server/http/nesting.js'

test('JSON depth: brackets inside strings and escaped quotes do not count; the first level past the limit is found', () => {
  assert.equal(jsonTooDeepAt('{"a":[[1,2],[3]]}', 3), -1)
  assert.equal(jsonTooDeepAt('{"a":[[1,2],[3]]}', 2), 6)
  assert.equal(jsonTooDeepAt('{"a":"[[[[[[\\"[[[[","b":{}}', 2), -1)
  assert.equal(jsonTooDeepAt(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`, 32), 32)
  assert.equal(jsonTooDeepAt('', 1), -1)
})

test('XML depth: comments, CDATA, declarations, self-closing tags and quoted ">" do not count', () => {
  const doc = '<?xml version="1.0"?><!-- <a><b><c> --><kml><Doc a="x>y"><P/><Q><![CDATA[<x><y><z>]]></Q></Doc></kml>'
  assert.equal(xmlTooDeepAt(doc, 3), -1)
  assert.equal(xmlTooDeepAt(doc, 2), doc.indexOf('<Q>'))
  assert.equal(xmlTooDeepAt(`<kml>${'<F>'.repeat(200_000)}${'</F>'.repeat(200_000)}</kml>`, 64), 5 + 63 * 3)
  assert.equal(xmlTooDeepAt('<a><b></b><c/></a>', 2), -1)
  assert.equal(xmlTooDeepAt('no tags at all', 1), -1)
})
