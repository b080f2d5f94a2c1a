import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovalService } from '../approvals/approvals.service.ts';
import { runAwaitingApproval } from './tools.await.ts';
import { createToolGate } from './tools.gate.ts';
import { actorFor, buildGateTestApp, newOrg, testTools, type GateTestApp } from './tools.test-support.ts';

let t: GateTestApp;
beforeAll(async () => {
  t = await buildGateTestApp();
});
afterAll(async () => t?.close());

const deps = () => ({ gate: t.app.tools.gate, approvals: t.app.approvals });
const viaApp: typeof runAwaitingApproval = (_d, actor, call, onPending) => t.app.tools.runAwaitingApproval(actor, call, onPending);

describe('runAwaitingApproval (chat path)', () => {
  it('waits for the approval, then runs the call once with it', async () => {
    const org = await newOrg(t.app);
    const approver = actorFor(org);
    const before = t.probe.calls.filter((c) => c.tool === 'test_stop_thing').length;
    const r = await runAwaitingApproval(
      deps(),
      actorFor(org),
      { tool: 'test_stop_thing', args: { thingId: 'i-1' }, via: 'chat', threadId: 'th' },
      (a) => {
        void t.app.approvals.decide(approver, a.id, 'approved');
      },
    );
    expect(r).toMatchObject({ status: 'ok', output: { stopped: 'i-1' } });
    expect(t.probe.calls.filter((c) => c.tool === 'test_stop_thing').length).toBe(before + 1);
  });

  it('returns a denial (403 APPROVAL_DENIED) without running the tool', async () => {
    const org = await newOrg(t.app);
    const r = await viaApp(deps(), actorFor(org), { tool: 'test_stop_thing', args: { thingId: 'i-2' }, via: 'chat' }, (a) => {
      void t.app.approvals.decide(actorFor(org), a.id, 'denied');
    });
    expect(r).toMatchObject({ status: 'denied', error: { status: 403, code: 'APPROVAL_DENIED' } });
  });

  it('returns 410 APPROVAL_EXPIRED when nobody answers within the TTL', async () => {
    const approvals = createApprovalService({ db: () => t.app.db, events: t.app.events, log: t.app.log, ttlMs: 100 });
    const gate = createToolGate({
      tools: testTools(),
      cloud: () => ({}) as never,
      policies: t.app.tools.policies,
      approvals,
      audit: t.app.audit,
      log: t.app.log,
    });
    const org = await newOrg(t.app);
    const r = await runAwaitingApproval({ gate, approvals }, actorFor(org), {
      tool: 'test_stop_thing',
      args: { thingId: 'i-3' },
      via: 'chat',
    });
    expect(r).toMatchObject({ status: 'denied', error: { status: 410, code: 'APPROVAL_EXPIRED' } });
  });
});
