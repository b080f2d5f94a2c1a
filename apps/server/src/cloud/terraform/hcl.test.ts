import { describe, expect, it } from 'vitest';
import { bucketHcl, instanceHcl, q, tfName, vcnHcl } from './hcl.ts';

/** Counts `{` and `}` outside string literals: generated HCL must be balanced. */
function balanced(hcl: string): boolean {
  const stripped = hcl.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  let depth = 0;
  for (const c of stripped) {
    if (c === '{') depth++;
    if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

describe('terraform generation', () => {
  it('generates a flexible instance with shape_config, variables and the oracle/oci provider, deterministically', () => {
    const a = instanceHcl({ name: 'Web Server 1', shape: 'VM.Standard.E4.Flex', ocpus: 2, memoryGb: 24 });
    expect(a).toEqual(instanceHcl({ name: 'Web Server 1', shape: 'VM.Standard.E4.Flex', ocpus: 2, memoryGb: 24 }));
    expect(a.filename).toBe('web_server_1.tf');
    expect(a.resources).toEqual(['oci_core_instance.web_server_1']);
    expect(a.hcl).toContain('source  = "oracle/oci"');
    expect(a.hcl).toContain('resource "oci_core_instance" "web_server_1" {');
    expect(a.hcl).toMatch(/shape_config \{\n\s+ocpus\s+= 2\n\s+memory_in_gbs = 24\n\s+\}/);
    expect(a.hcl).toContain('variable "compartment_ocid"');
    expect(a.hcl).toContain('subnet_id        = var.subnet_ocid');
    expect(balanced(a.hcl)).toBe(true);
    expect(instanceHcl({ name: 'x', shape: 'VM.Standard2.1' }).hcl).not.toContain('shape_config');
  });

  it('generates a VCN with gateway, route table, security list and one block per subnet', () => {
    const v = vcnHcl({
      name: 'app',
      cidrBlock: '10.20.0.0/16',
      subnets: [
        { name: 'app-public', cidrBlock: '10.20.0.0/24', public: true },
        { name: 'app-private', cidrBlock: '10.20.1.0/24', public: false },
      ],
      allowSshFrom: '192.0.2.0/24',
    });
    expect(v.resources).toEqual([
      'oci_core_vcn.app',
      'oci_core_internet_gateway.app_igw',
      'oci_core_route_table.app_public_rt',
      'oci_core_security_list.app_sl',
      'oci_core_subnet.app_public',
      'oci_core_subnet.app_private',
    ]);
    expect(v.hcl).toContain('cidr_blocks    = ["10.20.0.0/16"]');
    expect(v.hcl.match(/resource "oci_core_subnet"/g)).toHaveLength(2);
    expect(v.hcl).toContain('prohibit_public_ip_on_vnic = true');
    expect(v.hcl).toContain('network_entity_id = oci_core_internet_gateway.app_igw.id');
    expect(v.hcl).toContain('source   = "192.0.2.0/24"');
    expect(balanced(v.hcl)).toBe(true);
  });

  it('generates a private bucket looking up the namespace, and escapes strings', () => {
    const b = bucketHcl({ name: 'assets', versioning: true });
    expect(b.hcl).toContain('resource "oci_objectstorage_bucket" "assets" {');
    expect(b.hcl).toContain('access_type    = "NoPublicAccess"');
    expect(b.hcl).toContain('versioning     = "Enabled"');
    expect(b.hcl).toContain('data "oci_objectstorage_namespace" "ns"');
    expect(balanced(b.hcl)).toBe(true);
    expect(q('a"b${x}')).toBe('"a\\"b$${x}"');
    expect(tfName('9-lives')).toBe('r_9_lives');
  });
});
