import { AsyncLocalStorage } from 'node:async_hooks';
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryCompiler, QueryResult, TransactionSettings } from 'kysely';

/**
 * Counts the statements CloudNow sends to the database, split into data statements and overhead
 * (BEGIN/COMMIT/ROLLBACK/SAVEPOINT and the tenant-context statement). It wraps the Kysely driver,
 * so it sees exactly what goes over the wire — builder queries, raw `sql`, Better Auth's queries
 * and the transaction control Kysely issues itself.
 *
 * Counting is scoped with AsyncLocalStorage: `countQueries(fn)` counts what `fn` (and everything
 * it awaits, including `app.inject`) sends. A process-wide total feeds /metrics.
 */
export interface QueryCount {
  /** Statements that read or write application data. */
  data: number;
  /** Transaction control and tenant-context statements. */
  overhead: number;
  /** data + overhead: the round trips. */
  total: number;
  /** The SQL of every statement, in order (for failure messages). */
  statements: string[];
}

const scope = new AsyncLocalStorage<QueryCount[]>();

/** Process-wide counters since start (read by the metrics plugin). */
export const statementTotals = { data: 0, overhead: 0 };

/** Marker the tenant-context statement starts with; see `withTenant`. */
export const TENANT_CONTEXT_SQL_PREFIX = "select set_config('role'";

const OVERHEAD = /^\s*(begin|commit|rollback|savepoint|release|start transaction)\b/i;

function isOverhead(sql: string): boolean {
  return OVERHEAD.test(sql) || sql.trimStart().toLowerCase().startsWith(TENANT_CONTEXT_SQL_PREFIX);
}

function record(sql: string): void {
  const overhead = isOverhead(sql);
  if (overhead) statementTotals.overhead++;
  else statementTotals.data++;
  const counters = scope.getStore();
  if (!counters) return;
  for (const c of counters) {
    if (overhead) c.overhead++;
    else c.data++;
    c.total++;
    if (c.statements.length < 10_000) c.statements.push(sql);
  }
}

/** Runs `fn` and returns its result together with the statements it sent. Scopes nest. */
export async function countQueries<T>(fn: () => Promise<T>): Promise<QueryCount & { result: T }> {
  const counter: QueryCount = { data: 0, overhead: 0, total: 0, statements: [] };
  const parent = scope.getStore() ?? [];
  const result = await scope.run([...parent, counter], fn);
  return { ...counter, result };
}

/** Called before every statement; may throw to refuse it (the database does, once closed). */
export type StatementGuard = (sql: string) => void;

class CountingConnection implements DatabaseConnection {
  readonly #inner: DatabaseConnection;
  readonly #guard: StatementGuard | undefined;
  constructor(inner: DatabaseConnection, guard: StatementGuard | undefined) {
    this.#inner = inner;
    this.#guard = guard;
  }
  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    this.#guard?.(compiledQuery.sql);
    record(compiledQuery.sql);
    return this.#inner.executeQuery<R>(compiledQuery);
  }
  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    this.#guard?.(compiledQuery.sql);
    record(compiledQuery.sql);
    return this.#inner.streamQuery<R>(compiledQuery, chunkSize);
  }
  /** The wrapped connection, for drivers that compare connection identity. */
  get inner(): DatabaseConnection {
    return this.#inner;
  }
}

class CountingDriver implements Driver {
  readonly #inner: Driver;
  readonly #guard: StatementGuard | undefined;
  readonly #wrapped = new WeakMap<DatabaseConnection, CountingConnection>();
  constructor(inner: Driver, guard: StatementGuard | undefined) {
    this.#inner = inner;
    this.#guard = guard;
  }
  init(): Promise<void> {
    return this.#inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const conn = await this.#inner.acquireConnection();
    let wrapped = this.#wrapped.get(conn);
    if (!wrapped) {
      wrapped = new CountingConnection(conn, this.#guard);
      this.#wrapped.set(conn, wrapped);
    }
    return wrapped;
  }
  // Transaction control is counted here, once, and the driver gets its own connection back:
  // PGlite's driver runs BEGIN/COMMIT through private methods rather than executeQuery.
  beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    record('begin');
    return this.#inner.beginTransaction(unwrap(conn), settings);
  }
  commitTransaction(conn: DatabaseConnection): Promise<void> {
    record('commit');
    return this.#inner.commitTransaction(unwrap(conn));
  }
  rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    record('rollback');
    return this.#inner.rollbackTransaction(unwrap(conn));
  }
  savepoint(conn: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    record('savepoint');
    return this.#inner.savepoint!(unwrap(conn), name, compile);
  }
  rollbackToSavepoint(conn: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    record('rollback to savepoint');
    return this.#inner.rollbackToSavepoint!(unwrap(conn), name, compile);
  }
  releaseSavepoint(conn: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    record('release savepoint');
    return this.#inner.releaseSavepoint!(unwrap(conn), name, compile);
  }
  releaseConnection(conn: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(unwrap(conn));
  }
  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

function unwrap(conn: DatabaseConnection): DatabaseConnection {
  return conn instanceof CountingConnection ? conn.inner : conn;
}

/** Wraps a dialect so every statement its driver sends is counted. */
export function countingDialect(inner: Dialect, guard?: StatementGuard): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createDriver: () => new CountingDriver(inner.createDriver(), guard),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
  };
}
