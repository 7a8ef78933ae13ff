import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import { z, type ZodType } from 'zod'
import { AppError } from './errors.js'

/**
 * zod validation at the edge with the product's one error shape: 400 naming the first bad parameter
 * and listing every problem in details.
 */
export function validate<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  const middleware = zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues.map((i) => ({ parameter: i.path.join('.') || target, message: i.message }))
      const first = issues[0]!
      throw new AppError(400, 'invalid_parameter', `invalid ${first.parameter}: ${first.message}`, { parameter: first.parameter, issues })
    }
  })
  validations.set(middleware, { target, schema })
  return middleware
}

/** What one `validate()` middleware checks: the OpenAPI document is generated from these. */
export interface Validation {
  target: keyof ValidationTargets
  schema: ZodType
}

// Keyed by the middleware function itself, so the generator can find them in the app's route table.
const validations = new WeakMap<object, Validation>()

/** The target and schema of a handler made by `validate()`, or undefined for any other handler. */
export function validationOf(handler: unknown): Validation | undefined {
  return typeof handler === 'function' ? validations.get(handler) : undefined
}

/** A path or query id: a positive whole number. */
export const positiveId = z.string().regex(/^[1-9][0-9]{0,15}$/, 'must be a positive whole number').transform(Number)

/** The `:id` of a path (400 naming `id` otherwise). */
export const idParam = z.object({ id: positiveId })
