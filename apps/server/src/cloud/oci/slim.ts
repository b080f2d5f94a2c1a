import type * as T from '../types.ts';

/**
 * OCI SDK models → the slim shapes the sandbox returns. Inputs are typed loosely (`any`): the
 * mappers read only documented fields and tolerate the summary/full variants of each model.
 */
type M = Record<string, any>;

const iso = (d: unknown): string => {
  const t = d instanceof Date ? d.getTime() : typeof d === 'string' ? Date.parse(d) : NaN;
  return Number.isNaN(t) ? (typeof d === 'string' ? d : '') : new Date(t).toISOString();
};
const isoOrNull = (d: unknown): string | null => (d ? iso(d) : null);

export const instance = (i: M): T.Instance => ({
  id: i.id,
  name: i.displayName ?? '',
  compartmentId: i.compartmentId,
  availabilityDomain: i.availabilityDomain ?? '',
  faultDomain: i.faultDomain ?? null,
  shape: i.shape,
  ocpus: i.shapeConfig?.ocpus ?? null,
  memoryGb: i.shapeConfig?.memoryInGBs ?? null,
  imageId: i.imageId ?? i.sourceDetails?.imageId ?? null,
  lifecycleState: i.lifecycleState,
  timeCreated: iso(i.timeCreated),
});

export const shape = (s: M): T.Shape => ({
  name: s.shape,
  flexible: Boolean(s.isFlexible ?? s.ocpuOptions),
  processor: s.processorDescription ?? '',
  ocpus: s.ocpus ?? 0,
  memoryGb: s.memoryInGBs ?? 0,
  maxOcpus: s.ocpuOptions?.max ?? null,
  maxMemoryGb: s.memoryOptions?.maxInGBs ?? null,
});

export const image = (i: M): T.Image => ({
  id: i.id,
  name: i.displayName ?? '',
  operatingSystem: i.operatingSystem ?? '',
  operatingSystemVersion: i.operatingSystemVersion ?? '',
  timeCreated: iso(i.timeCreated),
});

export const bootVolume = (v: M, instanceId: string | null = null): T.BootVolume => ({
  id: v.id,
  name: v.displayName ?? '',
  compartmentId: v.compartmentId,
  availabilityDomain: v.availabilityDomain ?? '',
  sizeGb: v.sizeInGBs ?? 0,
  instanceId,
  lifecycleState: v.lifecycleState,
});

export const blockVolume = (v: M, attachedInstanceId: string | null): T.BlockVolume => ({
  id: v.id,
  name: v.displayName ?? '',
  compartmentId: v.compartmentId,
  availabilityDomain: v.availabilityDomain ?? '',
  sizeGb: v.sizeInGBs ?? 0,
  vpusPerGb: v.vpusPerGB ?? 10,
  lifecycleState: v.lifecycleState,
  attachedInstanceId,
  timeCreated: iso(v.timeCreated),
});

export const attachment = (a: M): T.VolumeAttachment => ({
  id: a.id,
  instanceId: a.instanceId,
  volumeId: a.volumeId,
  attachmentType: a.attachmentType ?? '',
  lifecycleState: a.lifecycleState,
});

export const vcn = (v: M): T.Vcn => ({
  id: v.id,
  name: v.displayName ?? '',
  compartmentId: v.compartmentId,
  cidrBlocks: v.cidrBlocks ?? (v.cidrBlock ? [v.cidrBlock] : []),
  dnsLabel: v.dnsLabel ?? null,
  lifecycleState: v.lifecycleState,
  timeCreated: iso(v.timeCreated),
});

export const subnet = (s: M): T.Subnet => ({
  id: s.id,
  name: s.displayName ?? '',
  vcnId: s.vcnId,
  compartmentId: s.compartmentId,
  cidrBlock: s.cidrBlock,
  availabilityDomain: s.availabilityDomain ?? null,
  public: s.prohibitPublicIpOnVnic === false,
  routeTableId: s.routeTableId ?? null,
  securityListIds: s.securityListIds ?? [],
  lifecycleState: s.lifecycleState,
});

const PROTOCOLS: Record<string, T.SecurityRule['protocol']> = { all: 'all', '6': 'tcp', '17': 'udp', '1': 'icmp' };
/** Our protocol names → OCI's protocol numbers. */
export const PROTOCOL_NUMBERS: Record<T.SecurityRule['protocol'], string> = { all: 'all', tcp: '6', udp: '17', icmp: '1' };

const rule = (r: M, direction: T.SecurityRule['direction']): T.SecurityRule => {
  const range = (r.tcpOptions ?? r.udpOptions)?.destinationPortRange;
  return {
    direction,
    protocol: PROTOCOLS[r.protocol] ?? 'all',
    cidr: direction === 'ingress' ? r.source : r.destination,
    portMin: range?.min ?? null,
    portMax: range?.max ?? null,
    description: r.description ?? null,
  };
};

/** Our rule → an OCI ingress/egress security rule. */
export function toOciRule(r: T.SecurityRule): M {
  const ports = r.portMin !== null ? { destinationPortRange: { min: r.portMin, max: r.portMax ?? r.portMin } } : undefined;
  return {
    protocol: PROTOCOL_NUMBERS[r.protocol],
    ...(r.direction === 'ingress' ? { source: r.cidr } : { destination: r.cidr }),
    ...(ports && r.protocol === 'tcp' ? { tcpOptions: ports } : {}),
    ...(ports && r.protocol === 'udp' ? { udpOptions: ports } : {}),
    ...(r.description ? { description: r.description } : {}),
  };
}

export const securityList = (l: M): T.SecurityList => ({
  id: l.id,
  name: l.displayName ?? '',
  vcnId: l.vcnId,
  compartmentId: l.compartmentId,
  lifecycleState: l.lifecycleState,
  ingressRules: (l.ingressSecurityRules ?? []).map((r: M) => rule(r, 'ingress')),
  egressRules: (l.egressSecurityRules ?? []).map((r: M) => rule(r, 'egress')),
});

export const routeTable = (t: M): T.RouteTable => ({
  id: t.id,
  name: t.displayName ?? '',
  vcnId: t.vcnId,
  compartmentId: t.compartmentId,
  routes: (t.routeRules ?? []).map((r: M) => ({ destination: r.destination ?? r.cidrBlock ?? '', networkEntityId: r.networkEntityId })),
  lifecycleState: t.lifecycleState,
});

export const internetGateway = (g: M): T.InternetGateway => ({
  id: g.id,
  name: g.displayName ?? '',
  vcnId: g.vcnId,
  compartmentId: g.compartmentId,
  enabled: g.isEnabled !== false,
  lifecycleState: g.lifecycleState,
});

export const bucket = (b: M): T.Bucket => ({
  name: b.name,
  namespace: b.namespace,
  compartmentId: b.compartmentId,
  publicAccessType: b.publicAccessType ?? 'NoPublicAccess',
  storageTier: b.storageTier ?? 'Standard',
  versioning: b.versioning ?? 'Disabled',
  approximateCount: b.approximateCount ?? null,
  approximateSizeBytes: b.approximateSize ?? null,
  timeCreated: iso(b.timeCreated),
});

export const object = (o: M): T.ObjectSummary => ({
  name: o.name,
  size: o.size ?? 0,
  timeModified: isoOrNull(o.timeModified),
  storageTier: o.storageTier ?? null,
});

export const adb = (a: M): T.AutonomousDatabase => ({
  id: a.id,
  name: a.displayName ?? '',
  dbName: a.dbName ?? '',
  compartmentId: a.compartmentId,
  workload: a.dbWorkload ?? '',
  computeCount: a.computeCount ?? a.cpuCoreCount ?? 0,
  dataStorageTb: a.dataStorageSizeInTBs ?? 0,
  lifecycleState: a.lifecycleState,
  isFreeTier: Boolean(a.isFreeTier),
  licenseModel: a.licenseModel ?? '',
  timeCreated: iso(a.timeCreated),
});

export const adbBackup = (b: M): T.AutonomousDatabaseBackup => ({
  id: b.id,
  autonomousDatabaseId: b.autonomousDatabaseId,
  name: b.displayName ?? '',
  type: b.type ?? '',
  lifecycleState: b.lifecycleState,
  timeStarted: isoOrNull(b.timeStarted),
  timeEnded: isoOrNull(b.timeEnded),
});

export const compartment = (c: M): T.Compartment => ({
  id: c.id,
  name: c.name,
  description: c.description ?? '',
  parentId: c.compartmentId ?? null,
  lifecycleState: c.lifecycleState,
  timeCreated: iso(c.timeCreated),
});

export const user = (u: M): T.User => ({
  id: u.id,
  name: u.name,
  email: u.email ?? null,
  lifecycleState: u.lifecycleState,
  mfaActivated: Boolean(u.isMfaActivated),
  timeCreated: iso(u.timeCreated),
});

export const group = (g: M): T.Group => ({ id: g.id, name: g.name, description: g.description ?? '', timeCreated: iso(g.timeCreated) });

export const policy = (p: M): T.Policy => ({
  id: p.id,
  name: p.name,
  compartmentId: p.compartmentId,
  description: p.description ?? '',
  statements: p.statements ?? [],
  timeCreated: iso(p.timeCreated),
});

export const alarm = (a: M): T.Alarm => ({
  id: a.id,
  name: a.displayName ?? '',
  compartmentId: a.compartmentId,
  namespace: a.namespace ?? '',
  query: a.query ?? '',
  severity: a.severity ?? '',
  isEnabled: Boolean(a.isEnabled),
  lifecycleState: a.lifecycleState,
});

export const searchResult = (r: M): T.SearchResult => ({
  id: r.identifier,
  resourceType: r.resourceType,
  name: r.displayName ?? '',
  compartmentId: r.compartmentId ?? null,
  lifecycleState: r.lifecycleState ?? null,
  timeCreated: isoOrNull(r.timeCreated),
});

/** A Logging Search result row → a log entry (fields differ per log type; the common ones are read). */
export function logEntry(r: M): T.LogEntry {
  const d = r.data ?? {};
  const content = d.logContent ?? {};
  const message = content.data?.message ?? content.data?.msg ?? JSON.stringify(content.data ?? d).slice(0, 500);
  const raw = String(content.data?.level ?? content.data?.severity ?? 'INFO').toUpperCase();
  const level: T.LogEntry['level'] = raw.startsWith('ERR') || raw === 'CRITICAL' ? 'ERROR' : raw.startsWith('WARN') ? 'WARN' : 'INFO';
  return {
    time: iso(d.datetime ?? content.time),
    level,
    source: content.source ?? content.type ?? '',
    message,
    resourceId: content.oracle?.resourceid ?? null,
  };
}
