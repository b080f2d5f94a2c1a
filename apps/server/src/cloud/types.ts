/**
 * The slim resource shapes both adapters return. Tools hand these to the model and the UI as plain
 * JSON, so they carry only what a person or an advisor rule needs — never the raw SDK objects.
 */

/** A page of a list: the items and the total that matched (sandbox: `count(*) over()`; OCI: items returned). */
export interface Page<T> {
  items: T[];
  count: number;
}

/** Common list options. `compartmentId` omitted: the sandbox lists the whole tenancy, OCI the configured compartment. */
export interface ListOptions {
  compartmentId?: string;
  /** Default 50, max 500. */
  limit?: number;
  offset?: number;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** Clamps a requested page size into [1, MAX_LIMIT]. */
export function clampLimit(limit: number | undefined): number {
  return Math.min(MAX_LIMIT, Math.max(1, Math.trunc(limit ?? DEFAULT_LIMIT)));
}

export interface Compartment {
  id: string;
  name: string;
  description: string;
  parentId: string | null;
  lifecycleState: string;
  timeCreated: string;
}

export interface Instance {
  id: string;
  name: string;
  compartmentId: string;
  availabilityDomain: string;
  faultDomain: string | null;
  shape: string;
  ocpus: number | null;
  memoryGb: number | null;
  imageId: string | null;
  lifecycleState: string;
  timeCreated: string;
}

export interface Shape {
  name: string;
  flexible: boolean;
  processor: string;
  ocpus: number;
  memoryGb: number;
  maxOcpus: number | null;
  maxMemoryGb: number | null;
}

export interface Image {
  id: string;
  name: string;
  operatingSystem: string;
  operatingSystemVersion: string;
  timeCreated: string;
}

export interface AvailabilityDomain {
  name: string;
}

export interface BootVolume {
  id: string;
  name: string;
  compartmentId: string;
  availabilityDomain: string;
  sizeGb: number;
  instanceId: string | null;
  lifecycleState: string;
}

export interface BlockVolume {
  id: string;
  name: string;
  compartmentId: string;
  availabilityDomain: string;
  sizeGb: number;
  vpusPerGb: number;
  lifecycleState: string;
  /** The instance it is attached to, null when unattached. */
  attachedInstanceId: string | null;
  timeCreated: string;
}

export interface VolumeAttachment {
  id: string;
  instanceId: string;
  volumeId: string;
  attachmentType: string;
  lifecycleState: string;
}

export interface Vcn {
  id: string;
  name: string;
  compartmentId: string;
  cidrBlocks: string[];
  dnsLabel: string | null;
  lifecycleState: string;
  timeCreated: string;
}

export interface Subnet {
  id: string;
  name: string;
  vcnId: string;
  compartmentId: string;
  cidrBlock: string;
  /** null for a regional subnet. */
  availabilityDomain: string | null;
  public: boolean;
  routeTableId: string | null;
  securityListIds: string[];
  lifecycleState: string;
}

/** One security rule, normalised: protocol `all`, `tcp`, `udp`, `icmp`; ports only for tcp/udp. */
export interface SecurityRule {
  direction: 'ingress' | 'egress';
  protocol: 'all' | 'tcp' | 'udp' | 'icmp';
  /** Source CIDR for ingress, destination CIDR for egress. */
  cidr: string;
  portMin: number | null;
  portMax: number | null;
  description: string | null;
}

export interface SecurityList {
  id: string;
  name: string;
  vcnId: string;
  compartmentId: string;
  lifecycleState: string;
  ingressRules: SecurityRule[];
  egressRules: SecurityRule[];
}

export interface RouteTable {
  id: string;
  name: string;
  vcnId: string;
  compartmentId: string;
  routes: { destination: string; networkEntityId: string }[];
  lifecycleState: string;
}

export interface InternetGateway {
  id: string;
  name: string;
  vcnId: string;
  compartmentId: string;
  enabled: boolean;
  lifecycleState: string;
}

export type PublicAccessType = 'NoPublicAccess' | 'ObjectRead' | 'ObjectReadWithoutList';

export interface Bucket {
  name: string;
  namespace: string;
  compartmentId: string;
  publicAccessType: PublicAccessType;
  storageTier: string;
  versioning: string;
  approximateCount: number | null;
  approximateSizeBytes: number | null;
  timeCreated: string;
}

export interface ObjectSummary {
  name: string;
  size: number;
  timeModified: string | null;
  storageTier: string | null;
}

export interface AutonomousDatabase {
  id: string;
  name: string;
  dbName: string;
  compartmentId: string;
  workload: string;
  computeCount: number;
  dataStorageTb: number;
  lifecycleState: string;
  isFreeTier: boolean;
  licenseModel: string;
  timeCreated: string;
}

export interface AutonomousDatabaseBackup {
  id: string;
  autonomousDatabaseId: string;
  name: string;
  type: string;
  lifecycleState: string;
  timeStarted: string | null;
  timeEnded: string | null;
}

export interface User {
  id: string;
  name: string;
  email: string | null;
  lifecycleState: string;
  mfaActivated: boolean;
  timeCreated: string;
}

export interface Group {
  id: string;
  name: string;
  description: string;
  timeCreated: string;
}

export interface Policy {
  id: string;
  name: string;
  compartmentId: string;
  description: string;
  statements: string[];
  timeCreated: string;
}

export interface Alarm {
  id: string;
  name: string;
  compartmentId: string;
  namespace: string;
  query: string;
  severity: string;
  isEnabled: boolean;
  lifecycleState: string;
}

export type MetricName = 'CpuUtilization' | 'MemoryUtilization';

/** A utilisation series (percent) for one instance. */
export interface MetricSeries {
  instanceId: string;
  metric: MetricName;
  unit: 'percent';
  resolution: '1h' | '1d';
  points: { timestamp: string; value: number }[];
  summary: { avg: number; min: number; max: number };
}

/** Average and peak CPU/memory per instance over a window. */
export interface UtilizationSummary {
  instanceId: string;
  name: string;
  shape: string;
  days: number;
  cpuAvg: number;
  cpuMax: number;
  memoryAvg: number;
  memoryMax: number;
}

export interface LogEntry {
  time: string;
  level: 'INFO' | 'WARN' | 'ERROR';
  source: string;
  message: string;
  resourceId: string | null;
}

export interface SearchResult {
  id: string;
  resourceType: string;
  name: string;
  compartmentId: string | null;
  lifecycleState: string | null;
  timeCreated: string | null;
}

export interface CostRow {
  date: string;
  service: string;
  cost: number;
  currency: string;
}

export type InstanceAction = 'START' | 'STOP' | 'REBOOT';

export type * from './specs.ts';
