import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { loginAs, type Login } from '../../../test/auth.ts';
import { countQueries } from '../../db/query-counter.ts';
import { withTenant } from '../../db/tenant.ts';
import { saveMessages, touchThread } from './chat.repository.ts';
import { postChat, userMessage } from './chat.test-support.ts';

let t: TestApp;
let me: Login;

beforeAll(async () => {
  t = await buildTestApp();
  me = await loginAs(t);
  // Warm every cache a turn reads (session, memberships, models, tool policy) with one turn first.
  await postChat(t, me.headers, { message: userMessage('hello') });
});
afterAll(async () => t.close());

/** A thread of the caller with `n` prior messages (written directly: the setup is not under test). */
async function threadWith(n: number): Promise<string> {
  const id = randomUUID();
  await postChat(t, me.headers, { id, message: userMessage('hello') });
  const prior = Array.from({ length: n - 2 }, (_, i) => ({
    id: `p-${randomUUID()}`,
    role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
    parts: [{ type: 'text', text: `earlier message ${i} `.repeat(20) }],
  }));
  await withTenant(t.db, me.org.id, async (tx) => {
    await saveMessages(tx, me.org.id, id, prior);
    await touchThread(tx, me.org.id, id, prior.length);
  });
  return id;
}

describe('chat hot-path budget (warm cache, no tools)', () => {
  it.each([2, 200])('a turn on a thread of %i messages: ≤ 5 data statements in ≤ 2 transactions, ≤ 11 round trips', async (n) => {
    const id = await threadWith(n);
    const counted = await countQueries(() => postChat(t, me.headers, { id, message: userMessage('thanks, that is all') }));
    expect(counted.result.status).toBe(200);
    const detail = counted.statements.join('\n');
    expect(counted.data, detail).toBeLessThanOrEqual(5);
    expect(counted.statements.filter((s) => s === 'begin').length, detail).toBeLessThanOrEqual(2);
    expect(counted.total, detail).toBeLessThanOrEqual(11);
    // exactly one statement reads the thread and its history, whatever its length
    expect(counted.statements.filter((s) => /from chat_messages|from "chat_messages"/.test(s))).toHaveLength(1);
    const saved = await t.db.selectFrom('chat_threads').select('message_count').where('id', '=', id).executeTakeFirstOrThrow();
    expect(saved.message_count).toBe(n + 2);
  });

  it('hands the turn to the search indexer in the transaction that saves the answer', async () => {
    const id = randomUUID();
    const user = userMessage('hello again');
    const r = await postChat(t, me.headers, { id, message: user });
    const assistantId = r.chunks[0]!.messageId as string;
    const jobs = await t.app.jobs.boss.findJobs('search.ingest', { data: { sourceId: id } });
    expect(jobs.map((j) => j.data)).toEqual([{ orgId: me.org.id, kind: 'chat', sourceId: id, itemIds: [user.id, assistantId] }]);
  });
});
