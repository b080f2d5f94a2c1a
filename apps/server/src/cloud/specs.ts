import type { MetricName, PublicAccessType } from './types.ts';

/** Inputs of the CloudProvider's create operations (re-exported by `types.ts`). */

export interface LaunchInstanceSpec {
  name: string;
  shape: string;
  ocpus?: number;
  memoryGb?: number;
  compartmentId?: string;
  availabilityDomain?: string;
  imageId?: string;
  subnetId?: string;
}

export interface CreateVcnSpec {
  name: string;
  cidrBlock: string;
  compartmentId?: string;
  dnsLabel?: string;
}

export interface CreateSubnetSpec {
  vcnId: string;
  name: string;
  cidrBlock: string;
  public: boolean;
}

export interface CreateBucketSpec {
  name: string;
  compartmentId?: string;
  publicAccessType?: PublicAccessType;
  storageTier?: 'Standard' | 'Archive';
}

export interface CreatePolicySpec {
  name: string;
  description: string;
  statements: string[];
  compartmentId?: string;
}

export interface CreateAlarmSpec {
  name: string;
  metric: MetricName;
  threshold: number;
  severity: 'CRITICAL' | 'ERROR' | 'WARNING' | 'INFO';
  compartmentId?: string;
  destinationTopicId?: string;
}

export interface CreateBlockVolumeSpec {
  name: string;
  sizeGb: number;
  availabilityDomain?: string;
  compartmentId?: string;
  vpusPerGb?: number;
}
