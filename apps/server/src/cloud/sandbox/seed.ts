import type { Insertable } from 'kysely';
import { json } from '../../db/schema.ts';
import type { SecurityRule } from '../types.ts';
import { IMAGES } from './catalog.ts';
import { hash32, ocid, prng, round } from './ids.ts';
import type { CloudSandboxResourcesTable, SandboxKind } from './sandbox.tables.ts';

/** A seed row before insertion. */
export type SeedRow = Insertable<CloudSandboxResourcesTable>;

/** How an instance's simulated utilisation behaves (drives the metric series; never shown). */
export type UsageProfile = 'idle' | 'overprovisioned' | 'normal' | 'busy';

/** The timestamps of a seeded tenancy are relative to this fixed instant, so a seed never depends on the clock. */
export const SEED_EPOCH = Date.UTC(2026, 9, 1);

/**
 * Generates an org's whole sandbox tenancy as rows. Pure: the same org id gives the same rows
 * (ids, names, sizes, times), a different org id a different tenancy of the same layout. The
 * layout deliberately contains what the advisor looks for: idle and over-provisioned instances,
 * SSH/RDP open to the world, a public bucket, a tenancy-wide `manage all-resources` policy,
 * unattached block volumes, a production tier in one availability domain and an ADB without backups.
 */
export function generateTenancy(orgId: string): SeedRow[] {
  const seed = hash32(orgId);
  const rnd = prng(seed);
  const pick = (min: number, max: number): number => Math.floor(min + rnd() * (max - min + 1));
  const rows: SeedRow[] = [];
  const rootId = tenancyId(orgId);
  const ad = (n: number): string => availabilityDomains(orgId)[n - 1]!;
  const time = (daysAgo: number): string => new Date(SEED_EPOCH - daysAgo * 86_400_000 - pick(0, 86_399) * 1000).toISOString();
  const add = (kind: SandboxKind, name: string, state: string, compartmentId: string | null, data: Record<string, unknown>): string => {
    const id = kind === 'tenancy' ? rootId : ocid(ocidType(kind), orgId, kind, name);
    const created = time(pick(20, 400));
    rows.push({ org_id: orgId, id, kind, name, state, compartment_id: compartmentId, data: json({ timeCreated: created, ...data }) });
    return id;
  };

  const namespace = namespaceOf(orgId);
  add('tenancy', `sandbox-${seed.toString(36)}`, 'ACTIVE', null, { seed, namespace });
  const comp: Record<string, string> = {};
  for (const [name, description] of [
    ['prod', 'Production workloads'],
    ['dev', 'Development and test'],
    ['shared-network', 'Networking shared by all environments'],
    ['data', 'Databases and analytics'],
  ] as const) {
    comp[name] = add('compartment', name, 'ACTIVE', rootId, { description, parentId: rootId });
  }

  // Networking
  const net = comp['shared-network']!;
  const rule = (
    direction: SecurityRule['direction'],
    protocol: SecurityRule['protocol'],
    cidr: string,
    port: number | null,
    description: string | null,
  ) => ({ direction, protocol, cidr, portMin: port, portMax: port, description }) satisfies SecurityRule;
  const egressAll = [rule('egress', 'all', '0.0.0.0/0', null, 'All outbound')];
  const prodVcn = add('vcn', 'prod-vcn', 'AVAILABLE', net, { cidrBlocks: ['10.0.0.0/16'], dnsLabel: 'prodvcn' });
  const devVcn = add('vcn', 'dev-vcn', 'AVAILABLE', comp.dev!, { cidrBlocks: ['10.1.0.0/16'], dnsLabel: 'devvcn' });
  const prodIgw = add('internet_gateway', 'prod-igw', 'AVAILABLE', net, { vcnId: prodVcn, enabled: true });
  const devIgw = add('internet_gateway', 'dev-igw', 'AVAILABLE', comp.dev!, { vcnId: devVcn, enabled: true });
  const prodRt = add('route_table', 'prod-public-rt', 'AVAILABLE', net, {
    vcnId: prodVcn,
    routes: [{ destination: '0.0.0.0/0', networkEntityId: prodIgw }],
  });
  const devRt = add('route_table', 'dev-rt', 'AVAILABLE', comp.dev!, {
    vcnId: devVcn,
    routes: [{ destination: '0.0.0.0/0', networkEntityId: devIgw }],
  });
  const prodSl = add('security_list', 'prod-web-sl', 'AVAILABLE', net, {
    vcnId: prodVcn,
    ingressRules: [rule('ingress', 'tcp', '0.0.0.0/0', 443, 'HTTPS'), rule('ingress', 'tcp', '10.0.0.0/16', 22, 'SSH from the VCN')],
    egressRules: egressAll,
  });
  const dbSl = add('security_list', 'prod-db-sl', 'AVAILABLE', net, {
    vcnId: prodVcn,
    ingressRules: [rule('ingress', 'tcp', '10.0.1.0/24', 1522, 'ADB from the app tier')],
    egressRules: egressAll,
  });
  const devSl = add('security_list', 'dev-open-sl', 'AVAILABLE', comp.dev!, {
    vcnId: devVcn,
    ingressRules: [
      rule('ingress', 'tcp', '0.0.0.0/0', 22, 'SSH (temporary)'),
      rule('ingress', 'tcp', '0.0.0.0/0', 3389, 'RDP for the Windows jump host'),
    ],
    egressRules: egressAll,
  });
  const subnet = (name: string, vcnId: string, c: string, cidr: string, pub: boolean, rt: string | null, sl: string) =>
    add('subnet', name, 'AVAILABLE', c, {
      vcnId,
      cidrBlock: cidr,
      availabilityDomain: null,
      public: pub,
      routeTableId: rt,
      securityListIds: [sl],
    });
  const webSubnet = subnet('prod-web', prodVcn, net, '10.0.0.0/24', true, prodRt, prodSl);
  const appSubnet = subnet('prod-app', prodVcn, net, '10.0.1.0/24', false, null, prodSl);
  subnet('prod-db', prodVcn, net, '10.0.2.0/24', false, null, dbSl);
  const devSubnet = subnet('dev-public', devVcn, comp.dev!, '10.1.0.0/24', true, devRt, devSl);

  // Compute: the production tier sits entirely in AD-1 (single-AD deployment).
  const ol8 = IMAGES[0]!.id;
  const win = IMAGES[4]!.id;
  const instances: [string, string, string, number, number, number, UsageProfile, string, string, string][] = [
    ['web-1', 'prod', 'VM.Standard.E4.Flex', 2, 16, 1, 'normal', 'RUNNING', webSubnet, ol8],
    ['web-2', 'prod', 'VM.Standard.E4.Flex', 2, 16, 1, 'normal', 'RUNNING', webSubnet, ol8],
    ['app-1', 'prod', 'VM.Standard.E4.Flex', 4, 32, 1, 'busy', 'RUNNING', appSubnet, ol8],
    ['batch-1', 'prod', 'VM.Standard.E4.Flex', 8, 128, 1, 'overprovisioned', 'RUNNING', appSubnet, ol8],
    ['reporting-1', 'prod', 'VM.Standard3.Flex', 4, 64, 1, 'overprovisioned', 'RUNNING', appSubnet, ol8],
    ['dev-build-1', 'dev', 'VM.Standard.E4.Flex', 4, 32, 2, 'idle', 'RUNNING', devSubnet, ol8],
    ['dev-test-1', 'dev', 'VM.Standard.E4.Flex', 2, 16, 2, 'idle', 'RUNNING', devSubnet, ol8],
    ['legacy-jump', 'dev', 'VM.Standard2.1', 1, 15, 3, 'idle', 'RUNNING', devSubnet, win],
    ['dev-sandbox-1', 'dev', 'VM.Standard.A1.Flex', 2, 12, 2, 'idle', 'STOPPED', devSubnet, IMAGES[5]!.id],
    ['analytics-1', 'data', 'VM.Standard.E5.Flex', 4, 48, 2, 'normal', 'RUNNING', appSubnet, ol8],
  ];
  const instanceIds: Record<string, string> = {};
  for (const [name, c, shape, ocpus, memoryGb, adN, profile, state, subnetId, imageId] of instances) {
    const data = {
      availabilityDomain: ad(adN),
      faultDomain: `FAULT-DOMAIN-${pick(1, 3)}`,
      shape,
      ocpus,
      memoryGb,
      imageId,
      subnetId,
      profile,
    };
    const id = add('instance', name, state, comp[c]!, { ...data, baseline: round(rnd(), 4) });
    instanceIds[name] = id;
    add('boot_volume', `${name} (Boot Volume)`, 'AVAILABLE', comp[c]!, {
      availabilityDomain: ad(adN),
      sizeGb: 47 + pick(0, 3) * 50,
      instanceId: id,
    });
  }

  const volume = (name: string, c: string, sizeGb: number, adN: number, attachedTo: string | null) =>
    add('volume', name, 'AVAILABLE', comp[c]!, {
      availabilityDomain: ad(adN),
      sizeGb,
      vpusPerGb: 10,
      attachment: attachedTo
        ? {
            id: ocid('volumeattachment', orgId, name),
            instanceId: instanceIds[attachedTo],
            attachmentType: 'paravirtualized',
            lifecycleState: 'ATTACHED',
          }
        : null,
    });
  volume('app-data', 'prod', 512, 1, 'app-1');
  volume('batch-scratch', 'prod', 1024, 1, 'batch-1');
  volume('dev-data', 'dev', 200, 2, 'dev-build-1');
  volume('old-migration-vol', 'prod', 100 * pick(3, 8), 1, null);
  volume('orphan-logs-vol', 'dev', 50 * pick(2, 6), 2, null);

  // Object storage
  const objects = (prefix: string, n: number, tier: string) =>
    Array.from({ length: n }, (_, i) => ({
      name: `${prefix}${String(i + 1).padStart(3, '0')}${prefix.endsWith('/') ? '.dat' : ''}`,
      size: pick(10_000, 50_000_000),
      timeModified: time(pick(1, 60)),
      storageTier: tier,
    }));
  const bucket = (name: string, c: string, publicAccessType: string, storageTier: string, objs: ReturnType<typeof objects>) =>
    add('bucket', name, 'ACTIVE', comp[c]!, { namespace, publicAccessType, storageTier, versioning: 'Disabled', objects: objs });
  bucket('app-assets', 'prod', 'NoPublicAccess', 'Standard', objects('assets/', pick(4, 8), 'Standard'));
  bucket('public-downloads', 'prod', 'ObjectRead', 'Standard', objects('downloads/', pick(3, 6), 'Standard'));
  bucket('db-backups', 'data', 'NoPublicAccess', 'Archive', objects('exports/', pick(3, 6), 'Archive'));
  bucket('logs-archive', 'shared-network', 'NoPublicAccess', 'Standard', objects('flowlogs/', pick(5, 8), 'Standard'));
  bucket('tmp-exports', 'dev', 'NoPublicAccess', 'Standard', []);

  // Databases: analytics-adw has automatic backups disabled and no backup at all.
  const adb = (
    name: string,
    dbName: string,
    workload: string,
    computeCount: number,
    tb: number,
    free: boolean,
    state: string,
    backups: boolean,
  ) =>
    add('adb', name, state, comp.data!, {
      dbName,
      workload,
      computeCount,
      dataStorageTb: tb,
      isFreeTier: free,
      licenseModel: 'LICENSE_INCLUDED',
      backupsEnabled: backups,
    });
  const prodAtp = adb('prod-atp', 'PRODATP', 'OLTP', 4, 2, false, 'AVAILABLE', true);
  adb('analytics-adw', 'ANALYTICS', 'DW', 8, 4, false, 'AVAILABLE', false);
  adb('dev-atp', 'DEVATP', 'OLTP', 2, 1, true, 'STOPPED', true);
  for (let i = 1; i <= 3; i++) {
    const started = time(i);
    add('adb_backup', `prod-atp-backup-${i}`, 'ACTIVE', comp.data!, {
      autonomousDatabaseId: prodAtp,
      type: i === 3 ? 'FULL' : 'INCREMENTAL',
      timeStarted: started,
      timeEnded: new Date(Date.parse(started) + 1_200_000).toISOString(),
    });
  }

  // Identity
  for (const [name, email, mfa] of [
    ['alice.admin', 'alice@example.com', true],
    ['bob.dev', 'bob@example.com', false],
    ['carol.ops', 'carol@example.com', true],
    ['svc-terraform', null, false],
  ] as const) {
    add('user', name, 'ACTIVE', rootId, { email, mfaActivated: mfa });
  }
  for (const [name, description] of [
    ['Administrators', 'Tenancy administrators'],
    ['Developers', 'Application developers'],
    ['NetworkAdmins', 'Manage shared networking'],
    ['Auditors', 'Read-only auditors'],
  ] as const) {
    add('group', name, 'ACTIVE', rootId, { description });
  }
  const policy = (name: string, description: string, statements: string[]) =>
    add('policy', name, 'ACTIVE', rootId, { description, statements });
  policy('Tenant Admin Policy', 'Built-in administrator policy', ['ALLOW GROUP Administrators to manage all-resources IN TENANCY']);
  policy('developers-everything', 'Quick fix from the migration weekend', ['allow group Developers to manage all-resources in tenancy']);
  policy('network-admins', 'Network administration', [
    'allow group NetworkAdmins to manage virtual-network-family in compartment shared-network',
  ]);
  policy('auditors-read', 'Auditors can inspect everything', [
    'allow group Auditors to inspect all-resources in tenancy',
    'allow group Auditors to read audit-events in tenancy',
  ]);

  // Monitoring
  add('alarm', 'prod-high-cpu', 'ACTIVE', comp.prod!, {
    namespace: 'oci_computeagent',
    query: 'CpuUtilization[5m].mean() > 80',
    severity: 'CRITICAL',
    isEnabled: true,
  });
  add('alarm', 'prod-memory-pressure', 'ACTIVE', comp.prod!, {
    namespace: 'oci_computeagent',
    query: 'MemoryUtilization[5m].mean() > 90',
    severity: 'WARNING',
    isEnabled: false,
  });
  return rows;
}

/** The tenancy's three availability domain names (`ABCD:EU-FRANKFURT-1-AD-1` …), derived from the org id. */
export function availabilityDomains(orgId: string): string[] {
  const rnd = prng(hash32(`${orgId}:ad`));
  const prefix = Array.from({ length: 4 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ'[Math.floor(rnd() * 24)]).join('');
  return [1, 2, 3].map((n) => `${prefix}:EU-FRANKFURT-1-AD-${n}`);
}

/** The tenancy (root compartment) OCID of an org's sandbox. */
export function tenancyId(orgId: string): string {
  return ocid('tenancy', orgId);
}

/** The Object Storage namespace of an org's sandbox. */
export function namespaceOf(orgId: string): string {
  return `sbx${hash32(orgId).toString(36)}`;
}

/** The OCID type segment of a stored kind. */
export function ocidType(kind: SandboxKind): string {
  const map: Record<SandboxKind, string> = {
    tenancy: 'tenancy',
    compartment: 'compartment',
    instance: 'instance',
    boot_volume: 'bootvolume',
    volume: 'volume',
    vcn: 'vcn',
    subnet: 'subnet',
    security_list: 'securitylist',
    route_table: 'routetable',
    internet_gateway: 'internetgateway',
    bucket: 'bucket',
    adb: 'autonomousdatabase',
    adb_backup: 'autonomousdatabasebackup',
    user: 'user',
    group: 'group',
    policy: 'policy',
    alarm: 'alarm',
  };
  return map[kind];
}
