import { describe, expect, it } from 'vitest';
import { stepCountIs, streamText, tool, type ModelMessage, type ToolSet } from 'ai';
import { z } from 'zod';
import { createOfflineModel, OFFLINE_MODEL_ID, OFFLINE_MODEL_LABEL, OFFLINE_PROVIDER_ID } from './offline-model.ts';

const INSTANCES = [
  { id: 'ocid1.instance.oc1.iad.aaaa1', displayName: 'web-1', lifecycleState: 'RUNNING', shape: 'VM.Standard.E4.Flex' },
  { id: 'ocid1.instance.oc1.iad.aaaa2', displayName: 'db-2', lifecycleState: 'STOPPED', shape: 'VM.Standard3.Flex' },
];

/** Fake catalogue tools (outside the module under test) that record what they were called with. */
function fakeTools(opts: { approveStop?: boolean } = {}) {
  const calls: Array<{ name: string; args: unknown }> = [];
  const record =
    (name: string, result: (args: any) => unknown) =>
    async (args: any): Promise<any> => {
      calls.push({ name, args });
      return result(args);
    };
  const scope = z.object({ compartmentId: z.string().optional() });
  const tools = {
    list_instances: tool({
      description: 'List compute instances',
      inputSchema: scope.extend({ lifecycleState: z.string().optional() }),
      execute: record('list_instances', () => ({ items: INSTANCES, count: INSTANCES.length })),
    }),
    get_instance: tool({
      description: 'Get one instance',
      inputSchema: z.object({ instanceId: z.string() }),
      execute: record(
        'get_instance',
        ({ instanceId }) => INSTANCES.find((i) => i.id === instanceId) ?? { error: `Instance ${instanceId} not found` },
      ),
    }),
    stop_instance: tool({
      description: 'Stop an instance',
      inputSchema: z.object({ instanceId: z.string() }),
      needsApproval: opts.approveStop ?? false,
      execute: record('stop_instance', ({ instanceId }) => ({ id: instanceId, displayName: 'web-1', lifecycleState: 'STOPPING' })),
    }),
    start_instance: tool({
      description: 'Start an instance',
      inputSchema: z.object({ instanceId: z.string() }),
      execute: record('start_instance', () => {
        throw new Error('Instance web-9 not found');
      }),
    }),
    list_buckets: tool({
      description: 'List buckets',
      inputSchema: scope,
      execute: record('list_buckets', () => ({ items: [{ name: 'backups', storageTier: 'Standard', namespace: 'acme' }], count: 1 })),
    }),
    get_cost_summary: tool({
      description: 'Costs',
      inputSchema: z.object({ days: z.number().optional() }),
      execute: record('get_cost_summary', () => ({
        currency: 'USD',
        items: [
          { service: 'Compute', amount: 10.5 },
          { service: 'Object Storage', amount: 2 },
          { service: 'Compute', amount: 4.25 },
        ],
      })),
    }),
  } satisfies ToolSet;
  return { tools, calls };
}

async function run(tools: ToolSet, messages: ModelMessage[]) {
  const result = streamText({ model: createOfflineModel(), tools, messages, stopWhen: stepCountIs(3) });
  const parts: Array<{ type: string; [k: string]: unknown }> = [];
  for await (const part of result.fullStream) parts.push(part as never);
  const text = parts.flatMap((p) => (p.type === 'text-delta' ? [p.text as string] : [])).join('');
  return { parts, text, messages: await result.responseMessages };
}

const user = (content: string): ModelMessage => ({ role: 'user', content });

describe('offline model', () => {
  it('identifies itself as cloudnow:offline, the built-in offline model', () => {
    const model = createOfflineModel();
    expect([model.specificationVersion, model.provider, model.modelId, model.label]).toEqual([
      'v4',
      OFFLINE_PROVIDER_ID,
      OFFLINE_MODEL_ID,
      OFFLINE_MODEL_LABEL,
    ]);
    expect(OFFLINE_MODEL_LABEL).toBe('Offline model (built-in)');
  });

  it('lists instances with a tool call, then streams a markdown table of the items', async () => {
    const { tools, calls } = fakeTools();
    const { parts, text } = await run(tools, [user('list my instances')]);
    expect(calls).toEqual([{ name: 'list_instances', args: {} }]);
    expect(parts.filter((p) => p.type === 'tool-call').map((p) => p.toolName)).toEqual(['list_instances']);
    expect(text).toContain('| Name | State | Shape | ID |');
    expect(text).toContain('| web-1 | RUNNING | VM.Standard.E4.Flex | ocid1.instance.oc1.iad.aaaa1 |');
    expect(text).toContain('| db-2 | STOPPED |');
    expect(parts.filter((p) => p.type === 'text-delta').length).toBeGreaterThan(3);
    expect(parts.map((p) => p.type)).toEqual(expect.arrayContaining(['text-start', 'text-end', 'finish']));
  });

  it('passes the lifecycle state and compartment it reads in the request', async () => {
    const { tools, calls } = fakeTools();
    await run(tools, [user('show running instances in ocid1.compartment.oc1..prod42')]);
    expect(calls[0]).toEqual({
      name: 'list_instances',
      args: { compartmentId: 'ocid1.compartment.oc1..prod42', lifecycleState: 'RUNNING' },
    });
  });

  it('stops the instance the user named, with the id from an earlier listing', async () => {
    const { tools, calls } = fakeTools();
    const first = await run(tools, [user('list instances')]);
    const history = [user('list instances'), ...first.messages];
    const { text } = await run(tools, [...history, user('stop instance web-1')]);
    expect(calls.at(-1)).toEqual({ name: 'stop_instance', args: { instanceId: 'ocid1.instance.oc1.iad.aaaa1' } });
    expect(text).toBe('The stop request for **web-1** was accepted; its state is now `STOPPING`.');
  });

  it('passes the name as instanceId when nothing earlier resolves it, and reports the tool error honestly', async () => {
    const { tools, calls } = fakeTools();
    const { text } = await run(tools, [user('please start web-9')]);
    expect(calls).toEqual([{ name: 'start_instance', args: { instanceId: 'web-9' } }]);
    expect(text).toContain('`start_instance` for `web-9` failed: Instance web-9 not found.');
    expect(text).not.toMatch(/accepted|started/);
  });

  it('uses an OCID from the request for get_instance', async () => {
    const { tools, calls } = fakeTools();
    const { text } = await run(tools, [user('describe ocid1.instance.oc1.iad.aaaa2')]);
    expect(calls).toEqual([{ name: 'get_instance', args: { instanceId: 'ocid1.instance.oc1.iad.aaaa2' } }]);
    expect(text).toContain('| lifecycleState | STOPPED |');
  });

  it('totals costs by service', async () => {
    const { tools, calls } = fakeTools();
    const { text } = await run(tools, [user('what did we spend in the last 7 days?')]);
    expect(calls).toEqual([{ name: 'get_cost_summary', args: { days: 7 } }]);
    expect(text).toContain('| Compute | 14.75 USD |');
    expect(text).toContain('| Object Storage | 2.00 USD |');
    expect(text).toContain('| **Total** | **16.75 USD** |');
  });

  it('only calls tools that are offered', async () => {
    const { tools, calls } = fakeTools();
    const { text } = await run(tools, [user('list my VCNs')]);
    expect(calls).toEqual([]);
    expect(text).toContain('`list_vcns`');
    expect(text).toContain('not available');
  });

  it('surfaces an approval request for a tool that needs approval, then runs it once approved', async () => {
    const { tools, calls } = fakeTools({ approveStop: true });
    const ask = [user('stop instance web-1')];
    const first = await run(tools, ask);
    const request = first.parts.find((p) => p.type === 'tool-approval-request') as { approvalId: string } | undefined;
    expect(request).toBeDefined();
    expect(calls).toEqual([]);
    expect(first.text).toBe('');

    const approved = await run(tools, [
      ...ask,
      ...first.messages,
      { role: 'tool', content: [{ type: 'tool-approval-response', approvalId: request!.approvalId, approved: true }] },
    ]);
    expect(calls).toEqual([{ name: 'stop_instance', args: { instanceId: 'web-1' } }]);
    expect(approved.text).toBe('The stop request for **web-1** was accepted; its state is now `STOPPING`.');
  });

  it('says it did not run a denied tool', async () => {
    const { tools, calls } = fakeTools({ approveStop: true });
    const ask = [user('stop instance web-1')];
    const first = await run(tools, ask);
    const request = first.parts.find((p) => p.type === 'tool-approval-request') as unknown as { approvalId: string };
    const denied = await run(tools, [
      ...ask,
      ...first.messages,
      { role: 'tool', content: [{ type: 'tool-approval-response', approvalId: request.approvalId, approved: false, reason: 'not now' }] },
    ]);
    expect(calls).toEqual([]);
    expect(denied.text).toBe('I did not run `stop_instance` on `web-1`: the request was denied (not now).');
  });

  it('answers anything else honestly as the offline model', async () => {
    const { tools, calls } = fakeTools();
    const { text, parts } = await run(tools, [user('write me a poem about autumn')]);
    expect(calls).toEqual([]);
    expect(text).toContain("I'm the offline model; connect a provider in Admin → AI providers to chat freely.");
    expect(text).toContain('list, inspect, start and stop compute instances');
    expect(parts.find((p) => p.type === 'finish')).toMatchObject({ finishReason: 'stop' });
  });

  it('is deterministic: the same conversation gives the same parts and text', async () => {
    const a = await run(fakeTools().tools, [user('list instances and buckets')]);
    const b = await run(fakeTools().tools, [user('list instances and buckets')]);
    const strip = (parts: typeof a.parts) => parts.filter((p) => !['finish-step', 'start-step'].includes(p.type));
    expect(strip(a.parts)).toEqual(strip(b.parts));
    expect(a.text).toBe(b.text);
    expect(a.text).toContain('**Buckets** (1)');
  });

  it('stops streaming once the abort signal fires', async () => {
    const model = createOfflineModel();
    const controller = new AbortController();
    const { stream } = await model.doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'hello there, who are you?' }] }],
      abortSignal: controller.signal,
    });
    const reader = stream.getReader();
    await reader.read();
    controller.abort(new Error('client gone'));
    await expect(reader.read()).rejects.toThrow('client gone');
  });

  it('generates the same decision without streaming', async () => {
    const model = createOfflineModel();
    const result = await model.doGenerate({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'list buckets' }] }],
      tools: [{ type: 'function', name: 'list_buckets', inputSchema: { type: 'object' } }],
    });
    expect(result.content).toEqual([
      { type: 'tool-call', toolCallId: expect.stringMatching(/^offline-/), toolName: 'list_buckets', input: '{}' },
    ]);
    expect(result.finishReason.unified).toBe('tool-calls');
  });
});
