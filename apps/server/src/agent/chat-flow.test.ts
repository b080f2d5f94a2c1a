import { describe, expect, it } from 'vitest';
import { convertToModelMessages, readUIMessageStream, stepCountIs, streamText, tool, type UIMessage } from 'ai';
import { z } from 'zod';
import { createOfflineModel } from './offline-model.ts';
import { guardInput, guardOutput } from './guardrails/guard.ts';
import { buildSystemPrompt } from './system-prompt.ts';
import { trimHistory } from './context.ts';

/**
 * The path the chat route will take, end to end without HTTP: UI messages → trimmed history →
 * model messages → offline model with tools → UI message stream → guardrail transforms → the
 * assistant UI message, then an approval round trip the way `useChat` sends it back.
 */
function makeTools(executed: string[]) {
  return {
    list_instances: tool({
      description: 'List instances',
      inputSchema: z.object({ compartmentId: z.string().optional(), lifecycleState: z.string().optional() }),
      execute: async () => {
        executed.push('list_instances');
        return {
          items: [{ id: 'ocid1.instance.oc1..w1', displayName: 'web-1', lifecycleState: 'RUNNING', shape: 'AKIAIOSFODNN7EXAMPLE' }],
          count: 1,
        };
      },
    }),
    stop_instance: tool({
      description: 'Stop an instance',
      inputSchema: z.object({ instanceId: z.string() }),
      needsApproval: true,
      execute: async ({ instanceId }) => {
        executed.push(`stop_instance:${instanceId}`);
        return { id: instanceId, displayName: 'web-1', lifecycleState: 'STOPPING' };
      },
    }),
  };
}
type Tools = ReturnType<typeof makeTools>;

async function turn(tools: Tools, history: UIMessage[], continuing?: UIMessage): Promise<UIMessage> {
  expect(guardInput(history).blocked).toBe(false);
  const result = streamText({
    model: createOfflineModel(),
    system: buildSystemPrompt({ orgName: 'Acme', region: 'us-ashburn-1', compartment: null, cloudKind: 'sandbox', now: new Date(0) }),
    messages: await convertToModelMessages(trimHistory(history, 8000), { tools }),
    tools,
    stopWhen: stepCountIs(3),
  });
  const stream = guardOutput(result.toUIMessageStream({ originalMessages: history }));
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream<UIMessage>({ stream, message: continuing })) last = message;
  return last!;
}

const text = (m: UIMessage) => m.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
const toolPart = (m: UIMessage, name: string) => m.parts.find((p) => p.type === `tool-${name}`) as Record<string, any> | undefined;

describe('chat flow with the offline model', () => {
  it('lists, then asks approval to stop, then stops once approved — with redacted text', async () => {
    const executed: string[] = [];
    const tools = makeTools(executed);
    const history: UIMessage[] = [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'list my instances' }] }];
    const listed = await turn(tools, history);
    expect(toolPart(listed, 'list_instances')?.state).toBe('output-available');
    expect(text(listed)).toContain('| web-1 | RUNNING | [AWS_KEY REDACTED] | ocid1.instance.oc1..w1 |');
    expect(text(listed)).not.toContain('AKIA');
    expect(toolPart(listed, 'list_instances')?.output.items[0].shape).toBe('[AWS_KEY REDACTED]');

    history.push(listed, { id: 'u2', role: 'user', parts: [{ type: 'text', text: 'stop instance web-1' }] });
    const asking = await turn(tools, history);
    const request = toolPart(asking, 'stop_instance')!;
    expect(request.state).toBe('approval-requested');
    expect(request.input).toEqual({ instanceId: 'ocid1.instance.oc1..w1' });
    expect(executed).toEqual(['list_instances']);

    // What useChat's addToolApprovalResponse does to the part before re-sending the thread.
    const approved: UIMessage = {
      ...asking,
      parts: asking.parts.map((p) =>
        p === (request as unknown) ? { ...request, state: 'approval-responded', approval: { id: request.approval.id, approved: true } } : p,
      ) as UIMessage['parts'],
    };
    history.push(approved);
    const done = await turn(tools, history, approved);
    expect(executed).toEqual(['list_instances', 'stop_instance:ocid1.instance.oc1..w1']);
    expect(toolPart(done, 'stop_instance')?.state).toBe('output-available');
    expect(text(done)).toContain('The stop request for **web-1** was accepted; its state is now `STOPPING`.');
  });
});
