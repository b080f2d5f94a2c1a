import { all, type Analyser, type DetectedFinding } from './types.ts';

const OPEN = new Set(['0.0.0.0/0', '::/0']);
const ADMIN_PORTS: Array<{ port: number; name: string; cis: string }> = [
  { port: 22, name: 'SSH', cis: 'CIS OCI 2.1' },
  { port: 3389, name: 'RDP', cis: 'CIS OCI 2.2' },
];

/**
 * Security: SSH/RDP open to the internet (CIS OCI 2.1, 2.2), public buckets (CIS OCI 5.1.1),
 * over-broad IAM policies (CIS OCI 1.1: `manage all-resources in tenancy` outside the
 * Administrators group) and policies granting users' credentials management to everyone (1.2).
 */
export const securityAnalyser: Analyser = async (cloud) => {
  const out: DetectedFinding[] = [];
  for (const sl of await all((p) => cloud.listSecurityLists(p))) {
    for (const { port, name, cis } of ADMIN_PORTS) {
      const rule = sl.ingressRules.find(
        (r) =>
          OPEN.has(r.cidr) && (r.protocol === 'all' || (r.protocol === 'tcp' && (r.portMin ?? 0) <= port && (r.portMax ?? 65535) >= port)),
      );
      if (!rule) continue;
      out.push({
        fingerprint: `security:open-${name.toLowerCase()}:${sl.id}`,
        domain: 'security',
        rule: `open-${name.toLowerCase()}`,
        severity: 'critical',
        confidence: 0.95,
        title: `${name} open to the internet in ${sl.name}`,
        summary: `Security list ${sl.name} allows ${name} (port ${port}) from ${rule.cidr}. ${cis} requires no security list to allow ingress from 0.0.0.0/0 to port ${port}.`,
        impact: 'Every host on the internet can try to log in; brute force and exploits of the service are one step away.',
        recommendation: `Restrict the rule to your office or bastion CIDR, or use the OCI Bastion service instead of open ${name}.`,
        monthlySaving: 0,
        resources: [{ id: sl.id, name: sl.name, type: 'security-list' }],
        charliePrompt: `Security list ${sl.name} allows ${name} from ${rule.cidr}. Restrict port ${port} to my office CIDR.`,
        evidence: [
          {
            call: 'list_security_lists',
            observed: `ingress ${rule.protocol} ${rule.portMin ?? '*'}-${rule.portMax ?? '*'} from ${rule.cidr} (${cis})`,
          },
        ],
      });
    }
  }
  for (const b of await all((p) => cloud.listBuckets(p))) {
    if (b.publicAccessType === 'NoPublicAccess') continue;
    out.push({
      fingerprint: `security:public-bucket:${b.namespace}/${b.name}`,
      domain: 'security',
      rule: 'public-bucket',
      severity: 'high',
      confidence: 0.9,
      title: `Public bucket ${b.name}`,
      summary: `Bucket ${b.name} allows public access (${b.publicAccessType}). CIS OCI 5.1.1 requires no Object Storage bucket to be publicly visible.`,
      impact: 'Anyone with the URL can read (and, with ObjectReadWithoutList, guess) its objects.',
      recommendation: 'Set the bucket to NoPublicAccess and share objects with pre-authenticated requests instead.',
      monthlySaving: 0,
      resources: [{ id: `${b.namespace}/${b.name}`, name: b.name, type: 'bucket' }],
      charliePrompt: `Bucket ${b.name} is public. Make it private and tell me what links will stop working.`,
      evidence: [{ call: 'list_buckets', observed: `publicAccessType=${b.publicAccessType} (CIS OCI 5.1.1)` }],
    });
  }
  for (const p of await all((o) => cloud.listPolicies(o))) {
    const broad = p.statements.filter((s) =>
      /allow\s+(group\s+(?!administrators\b)\S+|any-user)\s+to\s+manage\s+all-resources\s+in\s+tenancy/i.test(s),
    );
    if (broad.length === 0) continue;
    out.push({
      fingerprint: `security:broad-policy:${p.id}`,
      domain: 'security',
      rule: 'over-broad-policy',
      severity: 'high',
      confidence: 0.9,
      title: `Over-broad IAM policy ${p.name}`,
      summary: `Policy ${p.name} grants tenancy-wide manage on all resources: "${broad[0]}". CIS OCI 1.1 reserves that to the Administrators group.`,
      impact: 'Every member of the group can delete or expose any resource in the tenancy.',
      recommendation: 'Scope the statement to the compartments and resource families the group needs (least privilege).',
      monthlySaving: 0,
      resources: [{ id: p.id, name: p.name, type: 'policy' }],
      charliePrompt: `Policy ${p.name} lets a group manage all resources in the tenancy. Propose least-privilege statements to replace it.`,
      evidence: [{ call: 'list_policies', observed: `${broad.length} tenancy-wide manage statement(s) (CIS OCI 1.1)` }],
    });
  }
  return out;
};
