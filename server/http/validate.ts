import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import type { ZodType } from 'zod'
import { AppError } from './errors.js'

/**
 * zod validation at the edge with the product's one error shape: 400 naming the first bad parameter
 * and listing every problem in details.
 */
export function validate<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues.map((i) => ({ parameter: i.path.join('.') || target, message: i.message }))
      const first = issues[0]!
      throw new AppError(400, 'invalid_parameter', `invalid ${first.parameter}: ${first.message}`, { parameter: first.parameter, issues })
    }
  })
}
