import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/database.ts';
import { countQueries } from '../../db/query-counter.ts';
import { withTenant } from '../../db/tenant.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/harness.ts';
import { createOrg } from '../../../test/factories.ts';
import * as repo from './chat.repository.ts';
import type { NewMessage } from './chat.repository.ts';

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

async function newThread(): Promise<{ orgId: string; userId: string; threadId: string }> {
  const org = await createOrg(database.db);
  const userId = randomUUID();
  const thread = await withTenant(database.db, org.id, (tx) => repo.insertThread(tx, { orgId: org.id, userId, title: 'Test thread' }));
  return { orgId: org.id, userId, threadId: thread.id };
}

function messages(n: number): NewMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `m-${randomUUID()}`,
    role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
    parts: [{ type: 'text', text: `message ${i}` }],
    metadata: { i },
  }));
}

describe('saveMessages', () => {
  it.each([1, 50, 500])('stores %i messages in ONE insert statement', async (n) => {
    const { orgId, threadId } = await newThread();
    const batch = messages(n);
    const counted = await countQueries(() => withTenant(database.db, orgId, (tx) => repo.saveMessages(tx, orgId, threadId, batch)));
    expect(counted.result).toBe(n);
    expect(counted.data).toBe(1);
    const stored = await withTenant(database.db, orgId, (tx) => repo.listMessages(tx, orgId, threadId, 1000));
    expect(stored.map((m) => m.id)).toEqual(batch.map((m) => m.id));
    expect(stored[0]!.parts).toEqual(batch[0]!.parts);
  });

  it('uses ⌈n/1000⌉ statements above 1000 messages', async () => {
    const { orgId, threadId } = await newThread();
    const counted = await countQueries(() =>
      withTenant(database.db, orgId, (tx) => repo.saveMessages(tx, orgId, threadId, messages(2001))),
    );
    expect(counted.data).toBe(3);
    expect(counted.result).toBe(2001);
  });

  it('replaces a re-sent message instead of duplicating it', async () => {
    const { orgId, threadId } = await newThread();
    const [m] = messages(1);
    await withTenant(database.db, orgId, (tx) => repo.saveMessages(tx, orgId, threadId, [m!]));
    await withTenant(database.db, orgId, (tx) =>
      repo.saveMessages(tx, orgId, threadId, [{ ...m!, parts: [{ type: 'text', text: 'edited' }] }]),
    );
    const stored = await withTenant(database.db, orgId, (tx) => repo.listMessages(tx, orgId, threadId, 10));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.parts).toEqual([{ type: 'text', text: 'edited' }]);
  });
});

describe('updateMessages', () => {
  it.each([1, 50, 500])('updates %i messages in ONE statement, merging metadata', async (n) => {
    const { orgId, threadId } = await newThread();
    const batch = messages(n);
    await withTenant(database.db, orgId, (tx) => repo.saveMessages(tx, orgId, threadId, batch));
    const updates = batch.map((m, i) => ({
      id: m.id,
      status: 'aborted' as const,
      metadata: { edited: true },
      ...(i === 0 ? { parts: [{ type: 'text', text: 'new' }] } : {}),
    }));
    const counted = await countQueries(() => withTenant(database.db, orgId, (tx) => repo.updateMessages(tx, orgId, updates)));
    expect(counted.data).toBeLessThanOrEqual(2);
    expect(counted.data).toBe(1);
    expect(counted.result).toBe(n);
    const stored = await withTenant(database.db, orgId, (tx) => repo.listMessages(tx, orgId, threadId, 1000));
    expect(stored.every((m) => m.status === 'aborted')).toBe(true);
    expect(stored[0]!.parts).toEqual([{ type: 'text', text: 'new' }]);
    if (n > 1) expect(stored.at(-1)!.parts).toEqual(batch.at(-1)!.parts);
    expect(stored.at(-1)!.metadata).toEqual({ i: n - 1, edited: true });
  });

  it("does not touch another org's messages", async () => {
    const a = await newThread();
    const b = await newThread();
    const [m] = messages(1);
    await withTenant(database.db, b.orgId, (tx) => repo.saveMessages(tx, b.orgId, b.threadId, [m!]));
    const changed = await withTenant(database.db, a.orgId, (tx) => repo.updateMessages(tx, a.orgId, [{ id: m!.id, status: 'error' }]));
    expect(changed).toBe(0);
    const stored = await withTenant(database.db, b.orgId, (tx) => repo.listMessages(tx, b.orgId, b.threadId, 10));
    expect(stored[0]!.status).toBe('complete');
  });
});

describe('threads', () => {
  it('lists a page of threads with the total from the same query, searchable by title', async () => {
    const { orgId, userId } = await newThread();
    await withTenant(database.db, orgId, async (tx) => {
      for (const title of ['Costs in March', 'Stop web-1', 'costs review', '100% _literal_'])
        await repo.insertThread(tx, { orgId, userId, title });
    });
    const counted = await countQueries(() =>
      withTenant(database.db, orgId, (tx) => repo.listThreads(tx, orgId, userId, { limit: 2, offset: 0 })),
    );
    expect(counted.data).toBe(1);
    expect(counted.result.total).toBe(5);
    expect(counted.result.items).toHaveLength(2);
    const costs = await withTenant(database.db, orgId, (tx) =>
      repo.listThreads(tx, orgId, userId, { limit: 10, offset: 0, search: 'costs' }),
    );
    expect(costs.items.map((t) => t.title).sort()).toEqual(['Costs in March', 'costs review']);
    const literal = await withTenant(database.db, orgId, (tx) =>
      repo.listThreads(tx, orgId, userId, { limit: 10, offset: 0, search: '0% _' }),
    );
    expect(literal.items.map((t) => t.title)).toEqual(['100% _literal_']);
  });

  it('renames and deletes only the owner’s thread; delete cascades to messages', async () => {
    const { orgId, userId, threadId } = await newThread();
    await withTenant(database.db, orgId, (tx) => repo.saveMessages(tx, orgId, threadId, messages(3)));
    expect(await withTenant(database.db, orgId, (tx) => repo.renameThread(tx, orgId, 'someone-else', threadId, 'x'))).toBe(false);
    expect(await withTenant(database.db, orgId, (tx) => repo.renameThread(tx, orgId, userId, threadId, 'Renamed'))).toBe(true);
    expect((await withTenant(database.db, orgId, (tx) => repo.findThread(tx, orgId, userId, threadId)))?.title).toBe('Renamed');
    expect(await withTenant(database.db, orgId, (tx) => repo.deleteThread(tx, orgId, userId, threadId))).toBe(true);
    expect(await withTenant(database.db, orgId, (tx) => repo.listMessages(tx, orgId, threadId, 10))).toEqual([]);
  });
});
