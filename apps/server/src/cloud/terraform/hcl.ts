/**
 * Terraform (HCL) generators for the OCI provider: deterministic strings, so the same request gives
 * the same file. Identifiers are sanitised into Terraform names; values are quoted with escapes.
 * Compartment/subnet/image ids are variables unless given.
 */

/** A Terraform-safe local name: lower snake case, starting with a letter. */
export function tfName(s: string): string {
  const n = s
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(n) ? n : `r_${n || 'resource'}`;
}

/** An HCL string literal. */
export function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '$$${').replace(/\n/g, '\\n')}"`;
}

const PROVIDER = (region: string) => `terraform {
  required_providers {
    oci = {
      source  = "oracle/oci"
      version = ">= 6.0.0"
    }
  }
}

provider "oci" {
  region = ${q(region)}
}
`;

const variable = (name: string, description: string, def?: string) =>
  `variable ${q(name)} {
  description = ${q(description)}
  type        = string${def !== undefined ? `\n  default     = ${q(def)}` : ''}
}
`;

/** The generated file: name, HCL and the resources it declares. */
export interface TerraformFile {
  filename: string;
  hcl: string;
  resources: string[];
}

export interface InstanceSpec {
  name: string;
  shape: string;
  ocpus?: number;
  memoryGb?: number;
  region?: string;
  compartmentId?: string;
  subnetId?: string;
  imageId?: string;
  availabilityDomain?: string;
  bootVolumeGb?: number;
  assignPublicIp?: boolean;
}

/** A compute instance (flexible shapes get a `shape_config`). */
export function instanceHcl(s: InstanceSpec): TerraformFile {
  const n = tfName(s.name);
  const flex = s.shape.endsWith('.Flex');
  const shapeConfig = flex
    ? `\n  shape_config {\n    ocpus         = ${s.ocpus ?? 1}\n    memory_in_gbs = ${s.memoryGb ?? (s.ocpus ?? 1) * 16}\n  }\n`
    : '';
  const ref = (v: string | undefined, variableName: string) => (v ? q(v) : `var.${variableName}`);
  const hcl = `${PROVIDER(s.region ?? 'eu-frankfurt-1')}
${s.compartmentId ? '' : variable('compartment_ocid', 'Compartment for the instance')}${s.subnetId ? '' : variable('subnet_ocid', 'Subnet for the primary VNIC')}${s.imageId ? '' : variable('image_ocid', 'Image to boot (e.g. Oracle Linux 9)')}
data "oci_identity_availability_domains" "ads" {
  compartment_id = ${ref(s.compartmentId, 'compartment_ocid')}
}

resource "oci_core_instance" ${q(n)} {
  compartment_id      = ${ref(s.compartmentId, 'compartment_ocid')}
  availability_domain = ${s.availabilityDomain ? q(s.availabilityDomain) : 'data.oci_identity_availability_domains.ads.availability_domains[0].name'}
  display_name        = ${q(s.name)}
  shape               = ${q(s.shape)}
${shapeConfig}
  source_details {
    source_type             = "image"
    source_id               = ${ref(s.imageId, 'image_ocid')}
    boot_volume_size_in_gbs = ${s.bootVolumeGb ?? 50}
  }

  create_vnic_details {
    subnet_id        = ${ref(s.subnetId, 'subnet_ocid')}
    assign_public_ip = ${s.assignPublicIp ?? false}
  }
}

output "${n}_id" {
  value = oci_core_instance.${n}.id
}
`;
  return { filename: `${n}.tf`, hcl: tidy(hcl), resources: [`oci_core_instance.${n}`] };
}

export interface VcnSpec {
  name: string;
  cidrBlock: string;
  subnets: { name: string; cidrBlock: string; public: boolean }[];
  region?: string;
  compartmentId?: string;
  allowSshFrom?: string;
}

/** A VCN with an internet gateway, a public route table, a security list and its subnets. */
export function vcnHcl(s: VcnSpec): TerraformFile {
  const n = tfName(s.name);
  const comp = s.compartmentId ? q(s.compartmentId) : 'var.compartment_ocid';
  const dns = n.replace(/_/g, '').slice(0, 15);
  const resources = [
    `oci_core_vcn.${n}`,
    `oci_core_internet_gateway.${n}_igw`,
    `oci_core_route_table.${n}_public_rt`,
    `oci_core_security_list.${n}_sl`,
  ];
  const subnets = s.subnets.map((sub) => {
    const sn = tfName(sub.name);
    resources.push(`oci_core_subnet.${sn}`);
    return `resource "oci_core_subnet" ${q(sn)} {
  compartment_id             = ${comp}
  vcn_id                     = oci_core_vcn.${n}.id
  cidr_block                 = ${q(sub.cidrBlock)}
  display_name               = ${q(sub.name)}
  prohibit_public_ip_on_vnic = ${!sub.public}
  route_table_id             = ${sub.public ? `oci_core_route_table.${n}_public_rt.id` : `oci_core_vcn.${n}.default_route_table_id`}
  security_list_ids          = [oci_core_security_list.${n}_sl.id]
}
`;
  });
  const ssh = s.allowSshFrom
    ? `
  ingress_security_rules {
    protocol = "6"
    source   = ${q(s.allowSshFrom)}
    tcp_options {
      min = 22
      max = 22
    }
  }
`
    : '';
  const hcl = `${PROVIDER(s.region ?? 'eu-frankfurt-1')}
${s.compartmentId ? '' : variable('compartment_ocid', 'Compartment for the network')}
resource "oci_core_vcn" ${q(n)} {
  compartment_id = ${comp}
  cidr_blocks    = [${q(s.cidrBlock)}]
  display_name   = ${q(s.name)}
  dns_label      = ${q(dns || 'vcn')}
}

resource "oci_core_internet_gateway" "${n}_igw" {
  compartment_id = ${comp}
  vcn_id         = oci_core_vcn.${n}.id
  display_name   = ${q(`${s.name}-igw`)}
  enabled        = true
}

resource "oci_core_route_table" "${n}_public_rt" {
  compartment_id = ${comp}
  vcn_id         = oci_core_vcn.${n}.id
  display_name   = ${q(`${s.name}-public-rt`)}

  route_rules {
    destination       = "0.0.0.0/0"
    destination_type  = "CIDR_BLOCK"
    network_entity_id = oci_core_internet_gateway.${n}_igw.id
  }
}

resource "oci_core_security_list" "${n}_sl" {
  compartment_id = ${comp}
  vcn_id         = oci_core_vcn.${n}.id
  display_name   = ${q(`${s.name}-sl`)}

  egress_security_rules {
    protocol    = "all"
    destination = "0.0.0.0/0"
  }

  ingress_security_rules {
    protocol = "6"
    source   = "0.0.0.0/0"
    tcp_options {
      min = 443
      max = 443
    }
  }
${ssh}}

${subnets.join('\n')}`;
  return { filename: `${n}.tf`, hcl: tidy(hcl), resources };
}

export interface BucketSpec {
  name: string;
  region?: string;
  compartmentId?: string;
  namespace?: string;
  storageTier?: 'Standard' | 'Archive';
  versioning?: boolean;
  public?: boolean;
}

/** An Object Storage bucket (private unless asked; the namespace is looked up unless given). */
export function bucketHcl(s: BucketSpec): TerraformFile {
  const n = tfName(s.name);
  const comp = s.compartmentId ? q(s.compartmentId) : 'var.compartment_ocid';
  const hcl = `${PROVIDER(s.region ?? 'eu-frankfurt-1')}
${s.compartmentId ? '' : variable('compartment_ocid', 'Compartment for the bucket')}${s.namespace ? '' : `data "oci_objectstorage_namespace" "ns" {\n  compartment_id = ${comp}\n}\n`}
resource "oci_objectstorage_bucket" ${q(n)} {
  compartment_id = ${comp}
  namespace      = ${s.namespace ? q(s.namespace) : 'data.oci_objectstorage_namespace.ns.namespace'}
  name           = ${q(s.name)}
  access_type    = ${q(s.public ? 'ObjectRead' : 'NoPublicAccess')}
  storage_tier   = ${q(s.storageTier ?? 'Standard')}
  versioning     = ${q(s.versioning ? 'Enabled' : 'Disabled')}
}
`;
  return { filename: `${n}.tf`, hcl: tidy(hcl), resources: [`oci_objectstorage_bucket.${n}`] };
}

/** Collapses runs of blank lines so generated files read cleanly. */
function tidy(s: string): string {
  return `${s.replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
