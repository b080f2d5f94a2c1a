import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Actor } from '@cloudnow/shared';
import { openDatabase, type Database } from '../../db/database.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/harness.ts';
import { createOrg } from '../../../test/factories.ts';
import { createSandboxProvider } from '../sandbox/index.ts';
import type { CloudProvider } from '../provider.ts';
import { catalogue, findTool } from './index.ts';
import { RISK_LEVELS, type ToolContext } from './types.ts';

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

type Ids = Record<string, string>;
type Results = Record<string, any>;

/** Sample arguments per tool, from the seeded tenancy (`f`) and earlier tools' results (`r`). */
const SAMPLES: Record<string, (f: Ids, r: Results) => Record<string, unknown>> = {
  list_instances: () => ({ lifecycleState: 'RUNNING' }),
  get_instance: (f) => ({ instanceId: f['instance:web-1'] }),
  start_instance: (f) => ({ instanceId: f['instance:dev-sandbox-1'] }),
  stop_instance: (f) => ({ instanceId: f['instance:web-1'] }),
  reboot_instance: (f) => ({ instanceId: f['instance:app-1'] }),
  launch_instance: () => ({ name: 'tool-test-vm', shape: 'VM.Standard.E4.Flex', ocpus: 2 }),
  terminate_instance: (f) => ({ instanceId: f['instance:dev-test-1'] }),
  resize_instance: (f) => ({ instanceId: f['instance:batch-1'], shape: 'VM.Standard.E4.Flex', ocpus: 2, memoryGb: 32 }),
  list_shapes: () => ({}),
  list_images: () => ({ operatingSystem: 'Oracle Linux' }),
  list_availability_domains: () => ({}),
  list_boot_volumes: () => ({ limit: 5 }),
  list_block_volumes: () => ({ unattachedOnly: true }),
  create_block_volume: () => ({ name: 'tool-test-vol', sizeGb: 100 }),
  delete_block_volume: (f) => ({ volumeId: f['volume:old-migration-vol'] }),
  list_volume_attachments: (f) => ({ instanceId: f['instance:app-1'] }),
  attach_block_volume: (f) => ({ instanceId: f['instance:web-2'], volumeId: f['volume:orphan-logs-vol'] }),
  detach_block_volume: (_f, r) => ({ attachmentId: r.list_volume_attachments.items[0].id }),
  list_vcns: () => ({}),
  get_vcn: (f) => ({ vcnId: f['vcn:prod-vcn'] }),
  create_vcn: () => ({ name: 'tool-test-vcn', cidrBlock: '10.50.0.0/16', dnsLabel: 'tooltest' }),
  delete_vcn: (_f, r) => ({ vcnId: r.create_vcn.id }),
  list_subnets: (f) => ({ vcnId: f['vcn:prod-vcn'] }),
  create_subnet: (f) => ({ vcnId: f['vcn:prod-vcn'], name: 'tool-test-subnet', cidrBlock: '10.0.9.0/24' }),
  list_security_lists: () => ({}),
  get_security_list: (f) => ({ securityListId: f['security_list:dev-open-sl'] }),
  find_open_ingress_rules: () => ({}),
  add_security_rule: (f) => ({
    securityListId: f['security_list:prod-web-sl'],
    protocol: 'tcp',
    cidr: '10.0.0.0/16',
    port: 8080,
    description: 'app',
  }),
  remove_security_rule: (f) => ({ securityListId: f['security_list:dev-open-sl'], protocol: 'tcp', cidr: '0.0.0.0/0', port: 3389 }),
  list_route_tables: () => ({}),
  list_internet_gateways: () => ({}),
  get_object_storage_namespace: () => ({}),
  list_buckets: () => ({}),
  get_bucket: () => ({ bucketName: 'app-assets' }),
  find_public_buckets: () => ({}),
  create_bucket: () => ({ bucketName: 'tool-test-bucket' }),
  delete_bucket: () => ({ bucketName: 'tmp-exports' }),
  set_bucket_public_access: () => ({ bucketName: 'public-downloads', publicAccessType: 'NoPublicAccess' }),
  list_objects: () => ({ bucketName: 'app-assets', prefix: 'assets/' }),
  list_autonomous_databases: () => ({}),
  get_autonomous_database: (f) => ({ autonomousDatabaseId: f['adb:prod-atp'] }),
  start_autonomous_database: (f) => ({ autonomousDatabaseId: f['adb:dev-atp'] }),
  stop_autonomous_database: (f) => ({ autonomousDatabaseId: f['adb:analytics-adw'] }),
  list_autonomous_database_backups: (f) => ({ autonomousDatabaseId: f['adb:prod-atp'] }),
  create_autonomous_database_backup: (f) => ({ autonomousDatabaseId: f['adb:prod-atp'], name: 'manual-1' }),
  list_compartments: () => ({}),
  list_users: () => ({}),
  list_groups: () => ({}),
  list_policies: () => ({}),
  get_policy: (f) => ({ policyId: f['policy:developers-everything'] }),
  find_broad_policies: () => ({}),
  create_policy: () => ({
    name: 'tool-test-policy',
    description: 'test',
    statements: ['allow group Ops to read instances in compartment prod'],
  }),
  delete_policy: (_f, r) => ({ policyId: r.create_policy.id }),
  get_instance_metrics: (f) => ({ instanceId: f['instance:dev-build-1'], metric: 'CpuUtilization', days: 7 }),
  summarize_instance_utilization: () => ({ days: 7 }),
  find_idle_instances: () => ({}),
  find_overprovisioned_instances: () => ({}),
  list_alarms: () => ({}),
  create_alarm: () => ({ name: 'tool-test-alarm', metric: 'CpuUtilization', threshold: 85 }),
  search_logs: () => ({ hours: 24 }),
  get_recent_errors: () => ({ hours: 48 }),
  search_resources: () => ({ resourceType: 'Instance', text: 'web' }),
  search_resources_by_name: () => ({ name: 'prod' }),
  get_cost_summary: () => ({ days: 30 }),
  get_daily_costs: () => ({ days: 7, service: 'Compute' }),
  get_cost_forecast: () => ({}),
  compare_cloud_costs: () => ({ vcpus: 4, memoryGb: 16, storageGb: 200, egressGbPerMonth: 500 }),
  estimate_monthly_cost: () => ({ shape: 'VM.Standard.E4.Flex', ocpus: 2, memoryGb: 32 }),
  estimate_workload_cost: () => ({ cloud: 'aws', vcpus: 2, memoryGb: 8 }),
  estimate_egress_cost: () => ({ gbPerMonth: 20_000 }),
  get_oci_pricing: () => ({}),
  get_aws_pricing: () => ({ family: 'general' }),
  get_azure_pricing: () => ({}),
  get_oci_free_tier: () => ({}),
  generate_terraform_instance: () => ({ name: 'web', shape: 'VM.Standard.E4.Flex', ocpus: 1 }),
  generate_terraform_vcn: () => ({ name: 'app', cidrBlock: '10.20.0.0/16' }),
  generate_terraform_bucket: () => ({ name: 'assets' }),
};

const actor: Actor = { userId: 'u1', orgId: 'o1', role: 'owner', permissions: [], via: 'session' } as unknown as Actor;

describe('catalogue shape', () => {
  it('has at least 60 uniquely named snake_case tools with a known risk and category', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(60);
    expect(new Set(catalogue.map((t) => t.name)).size).toBe(catalogue.length);
    for (const t of catalogue) {
      expect(t.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(RISK_LEVELS).toContain(t.risk);
      expect(t.description.length).toBeGreaterThan(10);
      expect(t.risk === 'read' ? t.changes === '' : t.changes.length > 0, t.name).toBe(true);
      expect(findTool(t.name)).toBe(t);
    }
    expect(new Set(catalogue.map((t) => t.category)).size).toBe(11);
    expect(findTool('nope')).toBeUndefined();
  });

  it('assigns the agreed risk levels', () => {
    const risk = (n: string) => findTool(n)!.risk;
    expect([risk('terminate_instance'), risk('delete_bucket'), risk('delete_vcn')]).toEqual(['critical', 'critical', 'critical']);
    expect([risk('stop_instance'), risk('start_instance'), risk('launch_instance'), risk('list_instances')]).toEqual([
      'medium',
      'medium',
      'high',
      'read',
    ]);
  });

  it('uses strict input objects whose every field is described', () => {
    for (const t of catalogue) {
      const js = z.toJSONSchema(t.input, { io: 'input' }) as {
        additionalProperties?: boolean;
        properties?: Record<string, { description?: string }>;
      };
      expect(js.additionalProperties, t.name).toBe(false);
      for (const [k, v] of Object.entries(js.properties ?? {})) expect(v.description, `${t.name}.${k}`).toBeTruthy();
      const r = t.input.safeParse({ surprise: 1 });
      expect(
        r.error?.issues.some((i) => i.code === 'unrecognized_keys' && i.keys.includes('surprise')),
        t.name,
      ).toBe(true);
    }
  });

  it('rejects a malformed OCID naming the field', () => {
    const r = findTool('get_instance')!.input.safeParse({ instanceId: 'i-123' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['instanceId']);
  });
});

describe('every tool on the sandbox', () => {
  it('validates its sample args and runs successfully, in catalogue order', async () => {
    const org = await createOrg(database.db);
    let t = Date.parse('2026-12-03T09:00:00Z');
    const cloud: CloudProvider = createSandboxProvider(database.db, { now: () => new Date(t) }).forOrg(org.id);
    const f: Ids = {};
    const collect = async (kind: string, p: Promise<{ items: { id?: string; name: string }[] }>) => {
      for (const i of (await p).items) f[`${kind}:${i.name}`] = i.id ?? i.name;
    };
    await collect('instance', cloud.listInstances({ limit: 500 }));
    await collect('volume', cloud.listBlockVolumes({ limit: 500 }));
    await collect('vcn', cloud.listVcns());
    await collect('security_list', cloud.listSecurityLists());
    await collect('adb', cloud.listAutonomousDatabases());
    await collect('policy', cloud.listPolicies());

    const ctx: ToolContext = { actor, cloud, signal: new AbortController().signal };
    const results: Results = {};
    expect(Object.keys(SAMPLES).sort()).toEqual(catalogue.map((x) => x.name).sort());
    for (const tool of catalogue) {
      t += 120_000; // past every simulated transition
      const args = tool.input.parse(SAMPLES[tool.name]!(f, results));
      const out = await tool.execute(ctx, args).catch((e: Error) => {
        throw new Error(`${tool.name}: ${e.message}`);
      });
      expect(out, tool.name).toBeTruthy();
      expect(JSON.parse(JSON.stringify(out)), tool.name).toEqual(out);
      if (tool.name.startsWith('list_') || tool.name.startsWith('find_')) {
        expect(Array.isArray((out as any).items), tool.name).toBe(true);
        expect(typeof (out as any).count, tool.name).toBe('number');
      }
      results[tool.name] = out;
    }
    expect(results.stop_instance.lifecycleState).toBe('STOPPING');
    expect(results.find_open_ingress_rules.items.map((r: any) => r.exposes)).toEqual(expect.arrayContaining(['SSH', 'RDP']));
    expect(results.find_idle_instances.count).toBeGreaterThanOrEqual(2);
    expect(results.find_overprovisioned_instances.count).toBeGreaterThanOrEqual(1);
    expect(results.find_public_buckets.count).toBe(1);
    expect(results.find_broad_policies.items.map((p: any) => p.policy)).toContain('developers-everything');
    expect(results.get_cost_summary.items[0]).toEqual({ service: expect.any(String), cost: expect.any(Number) });
    expect(results.remove_security_rule.removed).toBe(1);
    expect((await cloud.getBucket('public-downloads')).publicAccessType).toBe('NoPublicAccess');
    await expect(cloud.getBucket('tmp-exports')).rejects.toMatchObject({ statusCode: 404 });
  });
});
