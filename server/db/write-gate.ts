/**
 * SQLite lets one connection write at a time, and a connection that finds the file locked waits for it
 * inside SQLite (the busy timeout), holding its thread. When a worker thread of this process writes a
 * large import with its own connection, a write on the server's thread would wait like that and stop
 * the event loop for every request. The gate prevents it: the server's thread holds it while a worker
 * writes, and the server's own writes (and transactions) wait for it asynchronously, before they reach
 * SQLite and without holding the connection, so reads go on meanwhile (WAL). Writes of other processes
 * on the same file are not covered.
 */
import {
  CompiledQuery, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type DatabaseConnection, type Dialect, type Driver, type Kysely,
  type QueryResult, type SqliteDatabase,
} from 'kysely'

export class WriteGate {
  private holders = 0
  private waiting: (() => void)[] = []

  /** True while a worker thread may be writing. */
  get busy(): boolean {
    return this.holders > 0
  }

  /** Resolves when no worker thread is writing. */
  async idle(): Promise<void> {
    while (this.holders > 0) await new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  /** Holds the gate while `work` (which writes from another thread) runs. */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.holders++
    try {
      return await work()
    } finally {
      this.holders--
      if (this.holders === 0) for (const resolve of this.waiting.splice(0)) resolve()
    }
  }
}

const READS = /^\s*(select|pragma|explain|values)\b/i

/** Whether a statement only reads (a query builder's select, or raw SQL that starts like one). */
function onlyReads(q: CompiledQuery): boolean {
  if (q.query.kind === 'SelectQueryNode') return true
  if (q.query.kind !== 'RawNode') return false
  return READS.test(q.sql) || (/^\s*with\b/i.test(q.sql) && !/\b(insert|update|delete|replace)\b/i.test(q.sql))
}
const raw = (q: CompiledQuery, re: RegExp) => q.query.kind === 'RawNode' && re.test(q.sql)

/** One open transaction at a time on the one connection; statements outside it wait for it to end. */
class TransactionLock {
  owner: GatedConnection | null = null
  private waiting: (() => void)[] = []

  /** Resolves when the transaction open now has ended (another may have begun by the time the caller runs: check again). */
  ended(): Promise<void> {
    return new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  release(by: GatedConnection): void {
    if (this.owner !== by) return
    this.owner = null
    for (const resolve of this.waiting.splice(0)) resolve()
  }
}

/**
 * A user of the one SQLite connection: a single statement runs when no transaction of another user is
 * open (better-sqlite3 runs it synchronously); a transaction, begun by Kysely or by raw BEGIN, holds
 * the connection until it ends. Writes and transactions first wait at the gate.
 */
class GatedConnection implements DatabaseConnection {
  constructor(private readonly db: SqliteDatabase, private readonly lock: TransactionLock, private readonly gate: WriteGate,
    private readonly counter: WriteCounter) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    // Waits until neither a worker's write (for a write) nor another user's transaction is in the way,
    // then runs at once: nothing else can start between the last check and the statement.
    for (;;) {
      if (this.lock.owner === this) break
      if (this.gate.busy && !onlyReads(q)) await this.gate.idle()
      else if (this.lock.owner) await this.lock.ended()
      else break
    }
    if (raw(q, /^\s*begin\b/i)) this.lock.owner = this
    if (!onlyReads(q)) this.counter.writes++
    try {
      return this.run<R>(q)
    } catch (err) {
      if (raw(q, /^\s*begin\b/i)) this.lock.release(this)
      throw err
    } finally {
      if (raw(q, /^\s*(commit|end)\b/i) || (raw(q, /^\s*rollback\b/i) && !raw(q, /^\s*rollback\s+to\b/i))) this.lock.release(this)
    }
  }

  private run<R>(q: CompiledQuery): QueryResult<R> {
    const stmt = this.db.prepare(q.sql)
    if (stmt.reader) return { rows: stmt.all(q.parameters) as R[] }
    const { changes, lastInsertRowid } = stmt.run(q.parameters)
    return {
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not used with SQLite')
  }

  /** Ends a transaction whose COMMIT or ROLLBACK was never sent (the connection is given back). */
  released(): void {
    this.lock.release(this)
  }
}

/** Statements that may have written, counted on this connection (another connection's writes show in SQLite's data_version). */
export interface WriteCounter { writes: number }

class GatedSqliteDriver implements Driver {
  private readonly lock = new TransactionLock()
  constructor(private readonly db: SqliteDatabase, private readonly gate: WriteGate, private readonly counter: WriteCounter) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new GatedConnection(this.db, this.lock, this.gate, this.counter)
  }
  async beginTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('begin'))
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('commit'))
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('rollback'))
  }
  async releaseConnection(c: DatabaseConnection): Promise<void> {
    ;(c as GatedConnection).released()
  }
  async destroy(): Promise<void> {
    this.db.close()
  }
}

/** Kysely's SQLite dialect, with a driver that lets reads pass while writes wait at the gate. */
export class GatedSqliteDialect implements Dialect {
  constructor(private readonly db: SqliteDatabase, private readonly gate: WriteGate, private readonly counter: WriteCounter) {}
  createDriver(): Driver {
    return new GatedSqliteDriver(this.db, this.gate, this.counter)
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler()
  }
  createAdapter() {
    return new SqliteAdapter()
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db)
  }
}
