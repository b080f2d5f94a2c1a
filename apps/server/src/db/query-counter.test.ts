import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type Database } from './database.ts';
import { countQueries, statementTotals } from './query-counter.ts';
import { withTenant } from './tenant.ts';
import { json } from './schema.ts';
import { createTestDatabase, type TestDatabase } from '../../test/harness.ts';
import { createOrg } from '../../test/factories.ts';

let tdb: TestDatabase;
let database: Database;

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase(tdb.settings);
});
afterAll(async () => {
  await database.close();
  await tdb.drop();
});

describe('countQueries', () => {
  it('counts a plain query as one data statement, raw sql too', async () => {
    const db = database.db;
    const c = await countQueries(async () => {
      await db.selectFrom('orgs').select('id').limit(1).execute();
      await sql`select 1`.execute(db);
      return 'done';
    });
    expect(c).toMatchObject({ data: 2, overhead: 0, total: 2, result: 'done' });
    expect(c.statements[0]).toMatch(/^select "id" from "orgs"/);
  });

  it('counts BEGIN/COMMIT as overhead around the data statements of a transaction', async () => {
    const db = database.db;
    const org = await createOrg(db);
    const c = await countQueries(() =>
      db.transaction().execute(async (tx) => {
        await tx
          .insertInto('event_log')
          .values({ org_id: org.id, type: 'a', payload: json({}) })
          .execute();
        return tx.selectFrom('event_log').select('id').where('org_id', '=', org.id).execute();
      }),
    );
    expect(c).toMatchObject({ data: 2, overhead: 2, total: 4 });
    expect(c.statements[0]).toBe('begin');
    expect(c.statements.at(-1)).toBe('commit');
    expect(c.result).toHaveLength(1);
  });

  it('counts a rollback as overhead', async () => {
    const db = database.db;
    const c = await countQueries(() =>
      db
        .transaction()
        .execute(async (tx) => {
          await sql`select 1`.execute(tx);
          throw new Error('abort');
        })
        .catch(() => 'rolled back'),
    );
    expect(c).toMatchObject({ data: 1, overhead: 2, total: 3, result: 'rolled back' });
    expect(c.statements).toEqual(['begin', 'select 1', 'rollback']);
  });

  it('counts the tenant context statement as overhead: withTenant costs 3 + its data statements', async () => {
    const db = database.db;
    const org = await createOrg(db);
    const c = await countQueries(() =>
      withTenant(db, org.id, async (tx) => {
        await tx.selectFrom('event_log').selectAll().execute();
        await tx.selectFrom('event_log').select('id').execute();
      }),
    );
    expect(c).toMatchObject({ data: 2, overhead: 3, total: 5 });
  });

  it('counts savepoints as overhead', async () => {
    const db = database.db;
    const c = await countQueries(async () => {
      const trx = await db.startTransaction().execute();
      const sp = await trx.savepoint('sp1').execute();
      await sql`select 1`.execute(sp);
      const back = await sp.rollbackToSavepoint('sp1').execute();
      await back.commit().execute();
    });
    expect(c).toMatchObject({ data: 1, overhead: 4, total: 5 });
  });

  it('nests: an outer scope sees the inner statements, the inner only its own; concurrent scopes stay apart', async () => {
    const db = database.db;
    let inner: Awaited<ReturnType<typeof countQueries<void>>> | undefined;
    const outer = await countQueries(async () => {
      await sql`select 1`.execute(db);
      inner = await countQueries(async () => {
        await sql`select 2`.execute(db);
        await db.transaction().execute(async (tx) => {
          await sql`select 3`.execute(tx);
        });
      });
      await sql`select 4`.execute(db);
    });
    expect(inner).toMatchObject({ data: 2, overhead: 2, total: 4 });
    expect(outer).toMatchObject({ data: 4, overhead: 2, total: 6 });

    const [x, y] = await Promise.all([
      countQueries(async () => {
        for (let i = 0; i < 3; i++) await sql`select 1`.execute(db);
      }),
      countQueries(async () => {
        for (let i = 0; i < 5; i++) await sql`select 1`.execute(db);
      }),
    ]);
    expect(x.data).toBe(3);
    expect(y.data).toBe(5);
  });

  it('feeds the process-wide totals', async () => {
    const before = { ...statementTotals };
    await database.db.transaction().execute(async (tx) => {
      await sql`select 1`.execute(tx);
    });
    expect(statementTotals.data - before.data).toBe(1);
    expect(statementTotals.overhead - before.overhead).toBe(2);
  });
});
