import { describe, expect, it } from 'vitest';
import type { ToolOutcome } from './conversation.ts';
import { isHelp, planCalls } from './intents.ts';

const listing: ToolOutcome = {
  toolCallId: 'c1',
  toolName: 'list_instances',
  input: {},
  status: 'ok',
  value: { items: [{ id: 'ocid1.instance.oc1..w1', displayName: 'Web-1' }], count: 1 },
};

describe('offline intents', () => {
  it.each([
    ['list my instances', [['list_instances', {}]]],
    ['what VMs are stopped?', [['list_instances', { lifecycleState: 'STOPPED' }]]],
    ['stop instance web-1', [['stop_instance', { instanceId: 'ocid1.instance.oc1..w1' }]]],
    ['please shut down "web-1"', [['stop_instance', { instanceId: 'ocid1.instance.oc1..w1' }]]],
    ['start db-2', [['start_instance', { instanceId: 'db-2' }]]],
    ["what's the status of web-1?", [['get_instance', { instanceId: 'ocid1.instance.oc1..w1' }]]],
    ['show me web-1', [['get_instance', { instanceId: 'ocid1.instance.oc1..w1' }]]],
    ['describe ocid1.instance.oc1.iad.xyz', [['get_instance', { instanceId: 'ocid1.instance.oc1.iad.xyz' }]]],
    ['stop all instances', [['list_instances', {}]]],
    [
      'list buckets and VCNs in ocid1.compartment.oc1..c9',
      [
        ['list_buckets', { compartmentId: 'ocid1.compartment.oc1..c9' }],
        ['list_vcns', { compartmentId: 'ocid1.compartment.oc1..c9' }],
      ],
    ],
    ['show my autonomous databases', [['list_autonomous_databases', {}]]],
    ['start the database', [['list_autonomous_databases', {}]]],
    ['how much did we spend this month?', [['get_cost_summary', { days: 30 }]]],
    ['costs for the last 14 days', [['get_cost_summary', { days: 14 }]]],
    ['show critical security findings', [['list_findings', { domain: 'security', severity: 'critical' }]]],
    ['which compartments do I have?', [['list_compartments', {}]]],
    ['write a haiku', []],
    ['show me something nice', []],
    ['show me web', []],
  ])('%j → %j', (text, expected) => {
    expect(planCalls(text, [listing]).map((c) => [c.toolName, c.input])).toEqual(expected);
  });

  it('recognises help requests', () => {
    expect(isHelp('help')).toBe(true);
    expect(isHelp('What can you do?')).toBe(true);
    expect(isHelp('list instances')).toBe(false);
  });
});
