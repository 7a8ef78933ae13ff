import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** An expected failure: onError turns it into `{ error: { code, message, details? } }` with its status. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export function badRequest(parameter: string, message: string): AppError {
  return new AppError(400, 'invalid_parameter', message, { parameter })
}

export function notFound(what: string, id: number | string): AppError {
  return new AppError(404, 'not_found', `${what} ${id} does not exist`, { id })
}

export function unauthenticated(): AppError {
  return new AppError(401, 'unauthenticated', '请先登录')
}

export function forbidden(message: string): AppError {
  return new AppError(403, 'forbidden', message)
}
