import type * as T from '../types.ts';
import type { ResourceRow } from './sandbox.repository.ts';

/**
 * Row → slim shape, one function per kind. The stored `data` carries a few simulation-only fields
 * (`profile`, `baseline`, `objects`, `backupsEnabled`) that never leave the sandbox.
 */
type D = Record<string, any>;

const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const n = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const orNull = <V>(v: V | undefined): V | null => (v === undefined ? null : v);

export function toCompartment(r: ResourceRow): T.Compartment {
  const d = r.data as D;
  return {
    id: r.id,
    name: r.name,
    description: s(d.description),
    parentId: orNull(d.parentId),
    lifecycleState: r.state,
    timeCreated: s(d.timeCreated),
  };
}

export function toInstance(r: ResourceRow): T.Instance {
  const d = r.data as D;
  return {
    id: r.id,
    name: r.name,
    compartmentId: r.compartment_id ?? '',
    availabilityDomain: s(d.availabilityDomain),
    faultDomain: orNull(d.faultDomain),
    shape: s(d.shape),
    ocpus: orNull(d.ocpus),
    memoryGb: orNull(d.memoryGb),
    imageId: orNull(d.imageId),
    lifecycleState: r.state,
    timeCreated: s(d.timeCreated),
  };
}

export function toBootVolume(r: ResourceRow): T.BootVolume {
  const d = r.data as D;
  return {
    id: r.id,
    name: r.name,
    compartmentId: r.compartment_id ?? '',
    availabilityDomain: s(d.availabilityDomain),
    sizeGb: n(d.sizeGb),
    instanceId: orNull(d.instanceId),
    lifecycleState: r.state,
  };
}

export function toBlockVolume(r: ResourceRow): T.BlockVolume {
  const d = r.data as D;
  return {
    id: r.id,
    name: r.name,
    compartmentId: r.compartment_id ?? '',
    availabilityDomain: s(d.availabilityDomain),
    sizeGb: n(d.sizeGb),
    vpusPerGb: n(d.vpusPerGb),
    lifecycleState: r.state,
    attachedInstanceId: d.attachment?.instanceId ?? null,
    timeCreated: s(d.timeCreated),
  };
}

export function toAttachment(r: ResourceRow): T.VolumeAttachment {
  const a = (r.data as D).attachment as D;
  return {
    id: s(a.id),
    instanceId: s(a.instanceId),
    volumeId: r.id,
    attachmentType: s(a.attachmentType),
    lifecycleState: s(a.lifecycleState),
  };
}

export function toVcn(r: ResourceRow): T.Vcn {
  const d = r.data as D;
  return {
    id: r.id,
    name: r.name,
    compartmentId: r.compartment_id ?? '',
    cidrBlocks: d.cidrBlocks ?? [],
    dnsLabel: orNull(d.dnsLabel),
    lifecycleState: r.state,
    timeCreated: s(d.timeCreated),
  };
}

export function toSubnet(r: ResourceRow): T.Subnet {
  const d = r.data as D;
  return {
    id: r.id,
    name: r.name,
    vcnId: s(d.vcnId),
    compartmentId: r.compartment_id ?? '',
    cidrBlock: s(d.cidrBlock),
    availabilityDomain: orNull(d.availabilityDomain),
    public: Boolean(d.public),
    routeTableId: orNull(d.routeTableId),
    securityListIds: d.securityListIds ?? [],
    lifecycleState: r.state,
  };
}

export function toSecurityList(r: ResourceRow): T.SecurityList {
  const d = r.data as D;
  return {
    id: r.id,
    name: r.name,
    vcnId: s(d.vcnId),
    compartmentId: r.compartment_id ?? '',
    lifecycleState: r.state,
    ingressRules: d.ingressRules ?? [],
    egressRules: d.egressRules ?? [],
  };
}

export function toRouteTable(r: ResourceRow): T.RouteTable {
  const d = r.data as D;
  return {
    id: r.id,
    name: r.name,
    vcnId: s(d.vcnId),
    compartmentId: r.compartment_id ?? '',
    routes: d.routes ?? [],
    lifecycleState: r.state,
  };
}

export function toInternetGateway(r: ResourceRow): T.InternetGateway {
  const d = r.data as D;
  return {
    id: r.id,
    name: r.name,
    vcnId: s(d.vcnId),
    compartmentId: r.compartment_id ?? '',
    enabled: Boolean(d.enabled),
    lifecycleState: r.state,
  };
}

export function toBucket(r: ResourceRow): T.Bucket {
  const d = r.data as D;
  const objects: D[] = d.objects ?? [];
  return {
    name: r.name,
    namespace: s(d.namespace),
    compartmentId: r.compartment_id ?? '',
    publicAccessType: d.publicAccessType,
    storageTier: s(d.storageTier),
    versioning: s(d.versioning),
    approximateCount: objects.length,
    approximateSizeBytes: objects.reduce((a, o) => a + n(o.size), 0),
    timeCreated: s(d.timeCreated),
  };
}

export function toAdb(r: ResourceRow): T.AutonomousDatabase {
  const d = r.data as D;
  return {
    id: r.id,
    name: r.name,
    dbName: s(d.dbName),
    compartmentId: r.compartment_id ?? '',
    workload: s(d.workload),
    computeCount: n(d.computeCount),
    dataStorageTb: n(d.dataStorageTb),
    lifecycleState: r.state,
    isFreeTier: Boolean(d.isFreeTier),
    licenseModel: s(d.licenseModel),
    timeCreated: s(d.timeCreated),
  };
}

export function toAdbBackup(r: ResourceRow): T.AutonomousDatabaseBackup {
  const d = r.data as D;
  return {
    id: r.id,
    autonomousDatabaseId: s(d.autonomousDatabaseId),
    name: r.name,
    type: s(d.type),
    lifecycleState: r.state,
    timeStarted: orNull(d.timeStarted),
    timeEnded: r.state === 'ACTIVE' ? (d.timeEnded ?? null) : null,
  };
}

export function toUser(r: ResourceRow): T.User {
  const d = r.data as D;
  return {
    id: r.id,
    name: r.name,
    email: orNull(d.email),
    lifecycleState: r.state,
    mfaActivated: Boolean(d.mfaActivated),
    timeCreated: s(d.timeCreated),
  };
}

export function toGroup(r: ResourceRow): T.Group {
  const d = r.data as D;
  return { id: r.id, name: r.name, description: s(d.description), timeCreated: s(d.timeCreated) };
}

export function toPolicy(r: ResourceRow): T.Policy {
  const d = r.data as D;
  return {
    id: r.id,
    name: r.name,
    compartmentId: r.compartment_id ?? '',
    description: s(d.description),
    statements: d.statements ?? [],
    timeCreated: s(d.timeCreated),
  };
}

export function toAlarm(r: ResourceRow): T.Alarm {
  const d = r.data as D;
  return {
    id: r.id,
    name: r.name,
    compartmentId: r.compartment_id ?? '',
    namespace: s(d.namespace),
    query: s(d.query),
    severity: s(d.severity),
    isEnabled: Boolean(d.isEnabled),
    lifecycleState: r.state,
  };
}

/** A row as a resource-search hit. */
export function toSearchResult(r: ResourceRow): T.SearchResult {
  return {
    id: r.id,
    resourceType: r.kind,
    name: r.name,
    compartmentId: r.compartment_id,
    lifecycleState: r.state,
    timeCreated: s((r.data as D).timeCreated) || null,
  };
}
