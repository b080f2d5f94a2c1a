import type * as T from './types.ts';

/**
 * The CloudProvider port: everything the tools need from a tenancy. Two adapters implement it:
 * `sandbox/` (a simulated tenancy per org, persisted in the database) and `oci/` (the OCI SDK).
 * Every method returns the slim shapes of `types.ts`; lists return `{ items, count }` and take a
 * bounded `limit` (default 50, max 500). A missing resource throws `CloudResourceNotFound` (404),
 * an action the current state forbids throws `CloudConflict` (409), an OCI failure `CloudApiError`
 * with a readable message.
 */
export interface CloudProvider {
  readonly kind: CloudKind;
  capabilities(): Promise<CloudCapabilities>;

  // identity
  listCompartments(o?: T.ListOptions): Promise<T.Page<T.Compartment>>;
  listUsers(o?: T.ListOptions): Promise<T.Page<T.User>>;
  listGroups(o?: T.ListOptions): Promise<T.Page<T.Group>>;
  listPolicies(o?: T.ListOptions): Promise<T.Page<T.Policy>>;
  getPolicy(policyId: string): Promise<T.Policy>;
  createPolicy(spec: T.CreatePolicySpec): Promise<T.Policy>;
  deletePolicy(policyId: string): Promise<{ deleted: true; id: string }>;

  // compute
  listInstances(o?: T.ListOptions & { lifecycleState?: string }): Promise<T.Page<T.Instance>>;
  getInstance(instanceId: string): Promise<T.Instance>;
  instanceAction(instanceId: string, action: T.InstanceAction): Promise<T.Instance>;
  launchInstance(spec: T.LaunchInstanceSpec): Promise<T.Instance>;
  terminateInstance(instanceId: string): Promise<T.Instance>;
  updateInstanceShape(instanceId: string, shape: { shape: string; ocpus?: number; memoryGb?: number }): Promise<T.Instance>;
  listShapes(o?: T.ListOptions): Promise<T.Page<T.Shape>>;
  listImages(o?: T.ListOptions & { operatingSystem?: string }): Promise<T.Page<T.Image>>;
  listAvailabilityDomains(): Promise<T.Page<T.AvailabilityDomain>>;
  listBootVolumes(o?: T.ListOptions): Promise<T.Page<T.BootVolume>>;
  listBlockVolumes(o?: T.ListOptions & { unattachedOnly?: boolean }): Promise<T.Page<T.BlockVolume>>;
  createBlockVolume(spec: T.CreateBlockVolumeSpec): Promise<T.BlockVolume>;
  deleteBlockVolume(volumeId: string): Promise<T.BlockVolume>;
  listVolumeAttachments(o?: T.ListOptions & { instanceId?: string }): Promise<T.Page<T.VolumeAttachment>>;
  attachBlockVolume(instanceId: string, volumeId: string): Promise<T.VolumeAttachment>;
  detachBlockVolume(attachmentId: string): Promise<T.VolumeAttachment>;

  // networking
  listVcns(o?: T.ListOptions): Promise<T.Page<T.Vcn>>;
  getVcn(vcnId: string): Promise<T.Vcn>;
  createVcn(spec: T.CreateVcnSpec): Promise<T.Vcn>;
  deleteVcn(vcnId: string): Promise<T.Vcn>;
  listSubnets(o?: T.ListOptions & { vcnId?: string }): Promise<T.Page<T.Subnet>>;
  createSubnet(spec: T.CreateSubnetSpec): Promise<T.Subnet>;
  listSecurityLists(o?: T.ListOptions & { vcnId?: string }): Promise<T.Page<T.SecurityList>>;
  getSecurityList(securityListId: string): Promise<T.SecurityList>;
  /** Replaces the list's rules of one direction by `rules` (OCI's update semantics). */
  updateSecurityRules(securityListId: string, direction: 'ingress' | 'egress', rules: T.SecurityRule[]): Promise<T.SecurityList>;
  listRouteTables(o?: T.ListOptions & { vcnId?: string }): Promise<T.Page<T.RouteTable>>;
  listInternetGateways(o?: T.ListOptions & { vcnId?: string }): Promise<T.Page<T.InternetGateway>>;

  // object storage
  getNamespace(): Promise<string>;
  listBuckets(o?: T.ListOptions): Promise<T.Page<T.Bucket>>;
  getBucket(name: string): Promise<T.Bucket>;
  createBucket(spec: T.CreateBucketSpec): Promise<T.Bucket>;
  deleteBucket(name: string): Promise<{ deleted: true; name: string }>;
  setBucketPublicAccess(name: string, publicAccessType: T.PublicAccessType): Promise<T.Bucket>;
  listObjects(bucket: string, o?: { prefix?: string; limit?: number }): Promise<T.Page<T.ObjectSummary>>;

  // databases
  listAutonomousDatabases(o?: T.ListOptions): Promise<T.Page<T.AutonomousDatabase>>;
  getAutonomousDatabase(id: string): Promise<T.AutonomousDatabase>;
  autonomousDatabaseAction(id: string, action: 'START' | 'STOP'): Promise<T.AutonomousDatabase>;
  listAutonomousDatabaseBackups(id: string, o?: { limit?: number }): Promise<T.Page<T.AutonomousDatabaseBackup>>;
  createAutonomousDatabaseBackup(id: string, name: string): Promise<T.AutonomousDatabaseBackup>;

  // observability
  getInstanceMetrics(q: { instanceId: string; metric: T.MetricName; days: number; resolution?: '1h' | '1d' }): Promise<T.MetricSeries>;
  summarizeUtilization(q: { compartmentId?: string; days: number; limit?: number }): Promise<T.Page<T.UtilizationSummary>>;
  listAlarms(o?: T.ListOptions): Promise<T.Page<T.Alarm>>;
  createAlarm(spec: T.CreateAlarmSpec): Promise<T.Alarm>;

  // logging, search, usage
  searchLogs(q: { text?: string; level?: T.LogEntry['level']; hours: number; limit?: number }): Promise<T.Page<T.LogEntry>>;
  searchResources(q: { text?: string; resourceType?: string; limit?: number }): Promise<T.Page<T.SearchResult>>;
  /** Daily cost per service for the last `days` days (oldest first). */
  getDailyCosts(q: { days: number; service?: string }): Promise<{ currency: string; items: T.CostRow[]; count: number }>;
}

export type CloudKind = 'sandbox' | 'oci';

/** What a provider is and can do; shown in the UI and to the model. */
export interface CloudCapabilities {
  kind: CloudKind;
  /** True for the sandbox: changes are simulated and affect nothing real. */
  simulated: boolean;
  region: string;
  tenancyId: string;
  /** The compartment used when a call names none (OCI); null = whole tenancy (sandbox). */
  defaultCompartmentId: string | null;
}

/** Hands out a provider for an org: the sandbox's per-org tenancy, or the one OCI tenancy. */
export interface CloudProviderFactory {
  readonly kind: CloudKind;
  forOrg(orgId: string): CloudProvider;
}

/** The port's method groups, one per adapter file (each adapter implements every group). */
export type ComputeOps = Pick<
  CloudProvider,
  | 'listInstances'
  | 'getInstance'
  | 'instanceAction'
  | 'launchInstance'
  | 'terminateInstance'
  | 'updateInstanceShape'
  | 'listShapes'
  | 'listImages'
  | 'listAvailabilityDomains'
  | 'listBootVolumes'
  | 'listBlockVolumes'
  | 'createBlockVolume'
  | 'deleteBlockVolume'
  | 'listVolumeAttachments'
  | 'attachBlockVolume'
  | 'detachBlockVolume'
>;
export type NetworkOps = Pick<
  CloudProvider,
  | 'listVcns'
  | 'getVcn'
  | 'createVcn'
  | 'deleteVcn'
  | 'listSubnets'
  | 'createSubnet'
  | 'listSecurityLists'
  | 'getSecurityList'
  | 'updateSecurityRules'
  | 'listRouteTables'
  | 'listInternetGateways'
>;
export type StorageOps = Pick<
  CloudProvider,
  | 'getNamespace'
  | 'listBuckets'
  | 'getBucket'
  | 'createBucket'
  | 'deleteBucket'
  | 'setBucketPublicAccess'
  | 'listObjects'
  | 'listAutonomousDatabases'
  | 'getAutonomousDatabase'
  | 'autonomousDatabaseAction'
  | 'listAutonomousDatabaseBackups'
  | 'createAutonomousDatabaseBackup'
>;
export type InsightOps = Pick<
  CloudProvider,
  | 'listCompartments'
  | 'listUsers'
  | 'listGroups'
  | 'listPolicies'
  | 'getPolicy'
  | 'createPolicy'
  | 'deletePolicy'
  | 'getInstanceMetrics'
  | 'summarizeUtilization'
  | 'listAlarms'
  | 'createAlarm'
  | 'searchLogs'
  | 'searchResources'
  | 'getDailyCosts'
>;
