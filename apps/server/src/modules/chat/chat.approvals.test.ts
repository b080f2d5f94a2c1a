import { randomUUID } from 'node:crypto';
import type { UIMessage } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { loginAs, type Login } from '../../../test/auth.ts';
import { postChat, rowCounts, streamedText, userMessage, type Chunk } from './chat.test-support.ts';

let t: TestApp;
let me: Login;

beforeAll(async () => {
  t = await buildTestApp();
  me = await loginAs(t);
});
afterAll(async () => t.close());

type Instance = { id: string; displayName: string; lifecycleState: string };

async function runningInstance(login: Login): Promise<Instance> {
  const r = await t.app.tools.gate.run(login.actor, { tool: 'list_instances', args: { lifecycleState: 'RUNNING' }, via: 'api' });
  if (r.status !== 'ok') throw new Error(`list_instances: ${r.status}`);
  return (r.output as { items: Instance[] }).items[0]!;
}

async function stateOf(login: Login, instanceId: string): Promise<string> {
  const r = await t.app.tools.gate.run(login.actor, { tool: 'get_instance', args: { instanceId }, via: 'api' });
  return (r as { output: Instance }).output.lifecycleState;
}

/** Asks Charlie to stop an instance: the stream ends with the approval request; returns it and the saved message. */
async function askToStop(login: Login, threadId: string, instance: Instance) {
  const r = await postChat(t, login.headers, { id: threadId, message: userMessage(`stop instance ${instance.id}`) });
  expect(r.status).toBe(200);
  const request = r.chunks.find((c) => c.type === 'tool-approval-request') as Chunk & { approvalId: string; toolCallId: string };
  expect(request).toBeDefined();
  const thread = (await t.app.inject({ url: `/api/chat/threads/${threadId}`, headers: login.headers })).json();
  const assistant = thread.messages.at(-1) as UIMessage & { metadata: { approvals: Record<string, string> } };
  return { request, assistant, persistedId: assistant.metadata.approvals[request.toolCallId]! };
}

/** What useChat's addToolApprovalResponse does to the assistant message before sending it back. */
function answered(assistant: UIMessage, toolCallId: string, approved: boolean): UIMessage {
  return {
    ...assistant,
    parts: assistant.parts.map((p) => {
      const part = p as Record<string, unknown> & { approval?: { id: string } };
      return part.toolCallId === toolCallId ? { ...part, state: 'approval-responded', approval: { id: part.approval!.id, approved } } : p;
    }) as UIMessage['parts'],
  };
}

describe('tool approvals in the chat (offline model, sandbox, over HTTP)', () => {
  it('"stop instance X" → approval request; approving in the chat decides the persisted approval and the instance stops', async () => {
    const threadId = randomUUID();
    const instance = await runningInstance(me);
    const { request, assistant, persistedId } = await askToStop(me, threadId, instance);
    expect(request).toMatchObject({ type: 'tool-approval-request', toolCallId: expect.any(String) });
    expect(await stateOf(me, instance.id)).toBe('RUNNING');

    // The same approval the Approvals inbox shows: pending, for this tool, args and thread, requested via chat.
    const pending = await t.app.approvals.listPending(me.actor, { limit: 50, offset: 0 });
    expect(pending.items.find((a) => a.id === persistedId)).toMatchObject({
      tool: 'stop_instance',
      args: { instanceId: instance.id },
      via: 'chat',
      threadId,
      status: 'pending',
    });

    const r = await postChat(t, me.headers, { id: threadId, message: answered(assistant, request.toolCallId, true) });
    expect(r.status).toBe(200);
    expect(r.chunks.find((c) => c.type === 'tool-output-available' && c.toolCallId === request.toolCallId)).toMatchObject({
      output: { id: instance.id, lifecycleState: 'STOPPING' },
    });
    expect(streamedText(r.chunks)).toContain('was accepted');
    expect(await t.app.approvals.get(me.actor, persistedId)).toMatchObject({
      status: 'approved',
      decidedBy: me.user.id,
      consumedAt: expect.any(Date),
    });
    expect(['STOPPING', 'STOPPED']).toContain(await stateOf(me, instance.id));
    // The continuation asked for no second approval: nothing of this thread is left pending.
    const left = await t.app.approvals.list(me.actor, { status: 'pending', threadId }, { limit: 50, offset: 0 });
    expect(left.items).toEqual([]);

    // The continuation replaced the assistant message (one row), now complete with the tool result.
    const thread = (await t.app.inject({ url: `/api/chat/threads/${threadId}`, headers: me.headers })).json();
    expect(thread.messages).toHaveLength(2);
    const part = thread.messages[1].parts.find((p: { toolCallId?: string }) => p.toolCallId === request.toolCallId);
    expect(part).toMatchObject({ type: 'tool-stop_instance', state: 'output-available' });
  });

  it('denying in the chat denies the persisted approval and runs nothing', async () => {
    const threadId = randomUUID();
    const instance = await runningInstance(me);
    const { request, assistant, persistedId } = await askToStop(me, threadId, instance);
    const r = await postChat(t, me.headers, { id: threadId, message: answered(assistant, request.toolCallId, false) });
    expect(r.status).toBe(200);
    expect(r.chunks.some((c) => c.type === 'tool-output-denied' && c.toolCallId === request.toolCallId)).toBe(true);
    expect(await t.app.approvals.get(me.actor, persistedId)).toMatchObject({ status: 'denied', consumedAt: null });
    expect(await stateOf(me, instance.id)).toBe('RUNNING');
  });

  it('an approval denied in the inbox first is not overridden by "approve" in the chat', async () => {
    const threadId = randomUUID();
    const instance = await runningInstance(me);
    const { request, assistant, persistedId } = await askToStop(me, threadId, instance);
    await t.app.approvals.decide(me.actor, persistedId, 'denied', 'not today');
    const r = await postChat(t, me.headers, { id: threadId, message: answered(assistant, request.toolCallId, true) });
    expect(r.chunks.find((c) => c.type === 'tool-output-error' && c.toolCallId === request.toolCallId)).toMatchObject({
      errorText: expect.stringMatching(/APPROVAL_REJECTED|denied/i),
    });
    expect(await stateOf(me, instance.id)).toBe('RUNNING');
  });

  it('refuses a forged continuation (a message id not in the thread, or nothing answered) with 400, writing nothing', async () => {
    const threadId = randomUUID();
    const instance = await runningInstance(me);
    const { request, assistant } = await askToStop(me, threadId, instance);
    const before = await rowCounts(t, me.org.id);
    const forged = { ...answered(assistant, request.toolCallId, true), id: 'not-in-thread' };
    const a = await postChat(t, me.headers, { id: threadId, message: forged });
    expect(a.status).toBe(400);
    expect(a.json().message).toMatch(/^message\.id/);
    const b = await postChat(t, me.headers, { id: threadId, message: assistant });
    expect(b.status).toBe(400);
    expect(b.json().message).toMatch(/^message\.parts/);
    expect(await rowCounts(t, me.org.id)).toEqual(before);
    expect(await stateOf(me, instance.id)).toBe('RUNNING');
  });
});
