import assert from 'node:assert/strict'
import { test } from 'vitest'
import {
  emptyFilters, filtersFromQuery, filtersToQuery, filtersToSearchParams, isEmptyFilters, nonFilterQuery, sameFilters, toggleValue,
} from '../../web/api/filter-params.js'

test('filters round-trip through the URL query', () => {
  const filters = { ...emptyFilters(), domain: ['natural', 'lifeline'], department: ['3'], risk: ['red'], q: '燃气' }
  const query = filtersToQuery(filters)
  assert.deepEqual(query, { domain: 'natural,lifeline', department: '3', risk: 'red', q: '燃气' })
  assert.deepEqual(filtersFromQuery(query), filters)
})

test('an empty filter writes an empty query', () => {
  assert.deepEqual(filtersToQuery(emptyFilters()), {})
  assert.equal(isEmptyFilters(filtersFromQuery({})), true)
})

test('comma lists, repeated keys, blanks and duplicates are normalised', () => {
  const f = filtersFromQuery({ kind: ['risk-point,hazard-source', 'risk-point', null], updateCycle: ' daily , ,weekly ', q: '  桥梁 ' })
  assert.deepEqual(f.kind, ['risk-point', 'hazard-source'])
  assert.deepEqual(f.updateCycle, ['daily', 'weekly'])
  assert.equal(f.q, '桥梁')
})

test('keys that are not filters are ignored when reading and kept apart when writing', () => {
  const query = { domain: 'public', canvas: '3840x2160', tour: '1' }
  assert.deepEqual(filtersFromQuery(query).domain, ['public'])
  assert.deepEqual(nonFilterQuery(query), { canvas: '3840x2160', tour: '1' })
})

test('the API receives the same parameters as the URL, URL-encoded', () => {
  const params = filtersToSearchParams({ ...emptyFilters(), subcategory: ['gas', 'bridge'], q: '<b>&' })
  assert.equal(params.toString(), 'subcategory=gas%2Cbridge&q=%3Cb%3E%26')
})

test('sameFilters ignores the order inside a list', () => {
  const a = { ...emptyFilters(), domain: ['a', 'b'] }
  const b = { ...emptyFilters(), domain: ['b', 'a'] }
  assert.equal(sameFilters(a, b), true)
  assert.equal(sameFilters(a, { ...b, q: 'x' }), false)
})

test('toggleValue adds and removes', () => {
  assert.deepEqual(toggleValue(['a'], 'b'), ['a', 'b'])
  assert.deepEqual(toggleValue(['a', 'b'], 'a'), ['b'])
})
