import type { Db } from './db/connect.js'

/** What the app needs from the outside world; tests pass their own (an in-memory database, a fixed clock). */
export interface AppDeps {
  db: Db
  /** The current time; freshness and reporting deadlines are judged against it. */
  now: () => Date
  /** Directory of the built web app to serve, if any. */
  webRoot?: string | null
}
