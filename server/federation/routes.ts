import { createHash, randomBytes } from 'node:crypto'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { z } from 'zod'
import { allow } from '../auth/allow.js'
import type { AccessControl } from '../auth/access-control.js'
import type { AppDeps } from '../db/deps.js'
import type { VisibilityRule } from '../domain/access.js'
import { KIOSK_CEILINGS, codesOf, type KioskCeiling } from '../domain/enums.js'
import { FEDERATION_PROTOCOL, FEDERATION_TOKEN_PREFIX } from '../domain/federation.js'
import { AppError, notFound } from '../http/errors.js'
import { idParam, validate } from '../http/validate.js'
import {
  ceilingRule, federatedFeatureIds, federatedFeatures, federatedInventory, federatedResources, federatedUpdates, federationManifest,
  federationTokenById, focusDistrict, insertFederationToken, listFederationTokens, liveFederationToken, markFederationTokenUsed, revokeFederationToken,
} from './queries.js'

/** Largest pages a city may ask for: each page is one short query, so the district keeps answering its own users meanwhile. */
export const FEDERATION_LIMITS = { resources: 1_000, updates: 5_000, featureIds: 100_000, features: 2_000 } as const

export function hashFederationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

const cursor = z.string().regex(/^(0|[1-9][0-9]{0,15})$/, 'must be a whole number').transform(Number)
const pageOf = (max: number) => z.object({
  after: cursor.default(0),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`).default(max),
})
const featurePage = pageOf(FEDERATION_LIMITS.features).extend({
  from: cursor.optional(),
  to: cursor.optional(),
  revisionAfter: cursor.optional(),
}).superRefine((q, ctx) => {
  if (q.revisionAfter === undefined && (q.from === undefined || q.to === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'give from and to (an id range), or revisionAfter' })
  }
})

const TOUCH_EVERY_MS = 60_000

/**
 * Federation at the district: its administrator issues read-only tokens to a city atlas (each with the
 * highest sensitivity it lets out), and a city with one reads the district's own catalog and features,
 * a page at a time, through /api/federation/*. Restricted data and data the district itself harvested
 * never leave it.
 */
export function federationRoutes(deps: AppDeps, access: AccessControl) {
  const { db } = deps

  /** The ceiling of the request's federation token; 401 naming the problem otherwise. */
  const tokenRule = async (c: Context): Promise<{ rule: VisibilityRule; ceiling: KioskCeiling; label: string }> => {
    const header = c.req.header('authorization') ?? ''
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1]
    if (!bearer || !bearer.startsWith(FEDERATION_TOKEN_PREFIX) || bearer.length > 100) {
      throw new AppError(401, 'federation_token_required', `需要联邦令牌：Authorization: Bearer ${FEDERATION_TOKEN_PREFIX}…（由本区县管理员在“系统管理 → 数据汇聚令牌”中签发）`)
    }
    const live = await liveFederationToken(db, hashFederationToken(bearer))
    if (!live) throw new AppError(401, 'federation_token_invalid', '联邦令牌无效或已撤销')
    const now = deps.now()
    if (!live.lastUsedAt || now.getTime() - Date.parse(live.lastUsedAt) >= TOUCH_EVERY_MS) await markFederationTokenUsed(db, live.id, now)
    return { rule: ceilingRule(live.ceiling, live.id), ceiling: live.ceiling, label: live.label }
  }

  return new Hono()
    .get('/admin/federation-tokens', allow('admin'), async (c) => c.json({ items: await listFederationTokens(db) }))
    .post('/admin/federation-tokens', allow('admin', { audit: 'federation-token-create' }), validate('json', z.object({
      label: z.string({ message: '请填写用途，如“市级平台”' }).trim().min(1, '请填写用途，如“市级平台”').max(50, '最多 50 个字符'),
      ceiling: z.enum(codesOf(KIOSK_CEILINGS), { message: `共享范围须为 ${codesOf(KIOSK_CEILINGS).join(' / ')}` }),
    })), async (c) => {
      const body = c.req.valid('json')
      const token = FEDERATION_TOKEN_PREFIX + randomBytes(32).toString('base64url')
      const viewer = c.get('viewer')
      const id = await insertFederationToken(db, {
        label: body.label, prefix: token.slice(0, FEDERATION_TOKEN_PREFIX.length + 6), tokenHash: hashFederationToken(token), ceiling: body.ceiling,
        createdBy: viewer.kind === 'user' ? viewer.user.id : 0,
      }, deps.now())
      await access.audit(c, 'federation-token-create', body.label, 'success', `共享范围 ${body.ceiling}`)
      c.set('audited', true)
      return c.json({ ...(await federationTokenById(db, id))!, token }, 201)
    })
    .post('/admin/federation-tokens/:id/revoke', allow('admin', { audit: 'federation-token-revoke' }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      const found = await federationTokenById(db, id)
      if (!found) throw notFound('federation token', id)
      await revokeFederationToken(db, id, deps.now())
      await access.audit(c, 'federation-token-revoke', found.label, 'success')
      c.set('audited', true)
      return c.json(await federationTokenById(db, id))
    })
    .get('/federation/manifest', allow('federation'), async (c) => {
      const { rule, ceiling, label } = await tokenRule(c)
      const district = await focusDistrict(db)
      const manifest = await federationManifest(db, rule, { protocol: FEDERATION_PROTOCOL, district, ceiling, asOf: deps.now().toISOString() })
      // One manifest read opens every harvest job: the district's audit trail shows who harvested it and when.
      await access.audit(c, 'harvest-read', label, 'success', `共享范围 ${ceiling}`)
      c.set('audited', true)
      return c.json(manifest)
    })
    .get('/federation/inventory', allow('federation'), async (c) => {
      const { rule } = await tokenRule(c)
      return c.json(await federatedInventory(db, rule))
    })
    .get('/federation/resources', allow('federation'), validate('query', pageOf(FEDERATION_LIMITS.resources)), async (c) => {
      const { rule } = await tokenRule(c)
      const { after, limit } = c.req.valid('query')
      const items = await federatedResources(db, rule, after, limit)
      return c.json({ items, next: items.length === limit ? items[items.length - 1]!.id : null })
    })
    .get('/federation/updates', allow('federation'), validate('query', pageOf(FEDERATION_LIMITS.updates).extend({ resource: cursor.optional() })), async (c) => {
      const { rule } = await tokenRule(c)
      const { after, limit, resource } = c.req.valid('query')
      const items = await federatedUpdates(db, rule, after, limit, resource ?? null)
      return c.json({ items, next: items.length === limit ? items[items.length - 1]!.id : null })
    })
    .get('/federation/feature-ids', allow('federation'), validate('query', pageOf(FEDERATION_LIMITS.featureIds)), async (c) => {
      const { rule } = await tokenRule(c)
      const { after, limit } = c.req.valid('query')
      const { runs, last } = await federatedFeatureIds(db, rule, after, limit)
      return c.json({ items: runs, next: last })
    })
    .get('/federation/features', allow('federation'), validate('query', featurePage), async (c) => {
      const { rule } = await tokenRule(c)
      const q = c.req.valid('query')
      const range = q.revisionAfter !== undefined ? { revisionAfter: q.revisionAfter } : { from: q.from!, to: q.to!, after: q.after }
      const items = await federatedFeatures(db, rule, range, q.limit)
      const last = items[items.length - 1]
      const next = items.length < q.limit || !last ? null : 'revisionAfter' in range ? last.revision : last.id
      return c.json({ items, next })
    })
}
