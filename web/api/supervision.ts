import type { InferResponseType } from 'hono/client'
import type { SupervisedResource } from '../../server/domain/types.js'
import { answer, cancel, routes } from './client.js'

/** The supervision and ingest-key APIs (server/supervision, server/ingest): calls and answers, typed by the server's routes. */

export type { SupervisedResource }

export type SupervisionFreshness = InferResponseType<typeof routes.supervision.freshness.$get>
export type ApiKeyInfo = InferResponseType<(typeof routes.systems)[':id']['api-keys']['$get']>['items'][number]

export const supervisionApi = {
  freshness: (signal?: AbortSignal) => answer(routes.supervision.freshness.$get({ query: {} }, cancel(signal))),
  /** Link of the 督办清单 download for one department (or all). */
  chaseListUrl: (departmentId?: number) => {
    const url = routes.supervision['chase-list.xlsx'].$url({ query: departmentId ? { department: String(departmentId) } : {} })
    return `${url.pathname}${url.search}`
  },
  apiKeys: (systemId: number | string) => answer(routes.systems[':id']['api-keys'].$get({ param: { id: String(systemId) } })),
  issueKey: (systemId: number | string, label: string) =>
    answer(routes.systems[':id']['api-keys'].$post({ param: { id: String(systemId) }, json: { label } })),
  revokeKey: (systemId: number | string, keyId: number) =>
    answer(routes.systems[':id']['api-keys'][':keyId'].revoke.$post({ param: { id: String(systemId), keyId: String(keyId) } })),
}
