import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type Database } from './database.ts';
import { json } from './schema.ts';
import { countQueries } from './query-counter.ts';
import { APP_ROLE, withSystem, withTenant } from './tenant.ts';
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

describe('withTenant (row-level security)', () => {
  it('a query without an org filter sees only the current org rows', async () => {
    const db = database.db;
    const a = await createOrg(db);
    const b = await createOrg(db);
    await db
      .insertInto('event_log')
      .values([
        { org_id: a.id, type: 'x', payload: json({ n: 1 }) },
        { org_id: b.id, type: 'x', payload: json({ n: 2 }) },
        { org_id: b.id, type: 'x', payload: json({ n: 3 }) },
      ])
      .execute();

    const seenByA = await withTenant(db, a.id, (tx) => tx.selectFrom('event_log').select(['org_id']).execute());
    expect(seenByA.map((r) => r.org_id)).toEqual([a.id]);
    const seenByB = await withTenant(db, b.id, (tx) => tx.selectFrom('event_log').select(['org_id']).execute());
    expect(seenByB).toHaveLength(2);
  });

  it('refuses to insert or update rows of another org', async () => {
    const db = database.db;
    const a = await createOrg(db);
    const b = await createOrg(db);
    await expect(
      withTenant(db, a.id, (tx) =>
        tx
          .insertInto('event_log')
          .values({ org_id: b.id, type: 'x', payload: json({}) })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    await db
      .insertInto('event_log')
      .values({ org_id: b.id, type: 'owned-by-b', payload: json({}) })
      .execute();
    const updated = await withTenant(db, a.id, (tx) =>
      tx.updateTable('event_log').set({ type: 'hijacked' }).where('type', '=', 'owned-by-b').executeTakeFirst(),
    );
    expect(Number(updated.numUpdatedRows)).toBe(0);
    const moved = withTenant(db, b.id, (tx) =>
      tx.updateTable('event_log').set({ org_id: a.id }).where('type', '=', 'owned-by-b').execute(),
    );
    await expect(moved).rejects.toThrow(/row-level security/);
  });

  it('returns no rows when no org is set in the app role', async () => {
    const db = database.db;
    const a = await createOrg(db);
    await db
      .insertInto('event_log')
      .values({ org_id: a.id, type: 'x', payload: json({}) })
      .execute();
    const rows = await db.transaction().execute(async (tx) => {
      await sql`select set_config('role', ${APP_ROLE}, true)`.execute(tx);
      return tx.selectFrom('event_log').selectAll().execute();
    });
    expect(rows).toEqual([]);
  });

  it('costs exactly one overhead statement for the tenant context, plus BEGIN/COMMIT', async () => {
    const a = await createOrg(database.db);
    const counted = await countQueries(() => withTenant(database.db, a.id, (tx) => tx.selectFrom('event_log').selectAll().execute()));
    expect(counted.data).toBe(1);
    expect(counted.overhead).toBe(3);
    expect(counted.statements[1]).toMatch(/^select set_config\('role'/);
  });

  it('withSystem spans orgs for named background work', async () => {
    const db = database.db;
    const a = await createOrg(db);
    const b = await createOrg(db);
    await db
      .insertInto('event_log')
      .values([
        { org_id: a.id, type: 'sys', payload: json({}) },
        { org_id: b.id, type: 'sys', payload: json({}) },
      ])
      .execute();
    const rows = await withSystem(db, (tx) =>
      tx.selectFrom('event_log').select('org_id').where('type', '=', 'sys').where('org_id', 'in', [a.id, b.id]).execute(),
    );
    expect(rows).toHaveLength(2);
  });
});
