import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, type Actor } from '@cloudnow/shared';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { loginAs, type Login } from '../../../test/auth.ts';
import { withTenant } from '../../db/tenant.ts';
import { MAX_HISTORY_MESSAGES } from '../../agent/context.ts';
import { SANDBOX_REGION } from '../../cloud/sandbox/ids.ts';
import { catalogue } from '../../cloud/catalogue/index.ts';
import { DEFAULT_POLICY } from '../tools/tools.policy.ts';
import { saveMessages, touchThread } from './chat.repository.ts';
import { offeredTools } from './chat.tools.ts';
import { postChat, slowModel, useModel, userMessage } from './chat.test-support.ts';

let t: TestApp;
let me: Login;
const recorder = slowModel({ n: 2, delayMs: 0 });

beforeAll(async () => {
  t = await buildTestApp();
  me = await loginAs(t);
  useModel(t, recorder.model);
});
afterAll(async () => t.close());

describe('Charlie’s context on every turn', () => {
  it('gives the model the system prompt with org and region, the org’s tools, and a bounded history', async () => {
    const org = await t.db.selectFrom('orgs').select('name').where('id', '=', me.org.id).executeTakeFirstOrThrow();
    const id = randomUUID();
    await postChat(t, me.headers, { id, message: userMessage('hello') });
    const prior = Array.from({ length: 300 }, (_, i) => ({
      id: `p-${randomUUID()}`,
      role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
      parts: [{ type: 'text', text: `old ${i}` }],
    }));
    await withTenant(t.db, me.org.id, async (tx) => {
      await saveMessages(tx, me.org.id, id, prior);
      await touchThread(tx, me.org.id, id, prior.length);
    });
    recorder.model.doStreamCalls.length = 0;
    expect((await postChat(t, me.headers, { id, message: userMessage('the newest question') })).status).toBe(200);

    const call = recorder.model.doStreamCalls[0]!;
    const system = call.prompt.find((m) => m.role === 'system')!.content as string;
    expect(system).toContain('You are Charlie');
    expect(system).toContain(`- Organisation: ${org.name}`);
    expect(system).toContain(`- Region: ${SANDBOX_REGION}`);
    const history = call.prompt.filter((m) => m.role !== 'system');
    expect(history.length).toBeLessThanOrEqual(MAX_HISTORY_MESSAGES);
    expect(JSON.stringify(history.at(-1))).toContain('the newest question');
    expect(JSON.stringify(history)).not.toContain('"old 0"');
    const tools = (call.tools ?? []).map((x) => x.name);
    expect(tools).toEqual(expect.arrayContaining(['list_instances', 'stop_instance']));
  });
});

describe('offeredTools', () => {
  const actor = (permissions: Actor['permissions']): Actor => ({ userId: 'u', orgId: 'o', role: 'operator', permissions, via: 'session' });
  const names = (a: Actor, policy = DEFAULT_POLICY) => offeredTools(a, catalogue, policy).map((x) => x.name);
  const critical = catalogue.filter((x) => x.risk === 'critical').map((x) => x.name);

  it('offers nothing without tools:execute, and critical tools only with tools:danger', () => {
    expect(names(actor(ROLE_PERMISSIONS.viewer))).toEqual([]);
    expect(critical.length).toBeGreaterThan(0);
    expect(names(actor(ROLE_PERMISSIONS.operator)).filter((n) => critical.includes(n))).toEqual([]);
    expect(names(actor(ROLE_PERMISSIONS.admin))).toEqual(expect.arrayContaining(critical));
  });

  it('leaves out tools the org policy disables', () => {
    const offered = names(actor(ROLE_PERMISSIONS.operator), { include: ['*'], exclude: ['*_instance'], rules: [] });
    expect(offered).toContain('list_instances');
    expect(offered).not.toContain('stop_instance');
  });
});
