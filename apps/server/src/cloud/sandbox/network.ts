import type { NetworkOps } from '../provider.ts';
import { CloudBadRequest, CloudConflict } from '../errors.ts';
import { TRANSITION_MS, type SandboxContext } from './context.ts';
import { toInternetGateway, toRouteTable, toSecurityList, toSubnet, toVcn } from './mappers.ts';
import { sandboxRepository as repo } from './sandbox.repository.ts';

/** Parses an IPv4 CIDR into [network as uint32, prefix length]; throws CloudBadRequest when malformed. */
export function parseCidr(cidr: string): [number, number] {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const bits = m ? Number(m[5]) : -1;
  if (!m || octets.some((o) => o > 255) || bits > 32) throw new CloudBadRequest(`${cidr} is not an IPv4 CIDR block`);
  const ip = octets.reduce((a, o) => a * 256 + o, 0);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [(ip & mask) >>> 0, bits];
}

/** True when CIDR `inner` lies inside CIDR `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const [on, ob] = parseCidr(outer);
  const [inn, ib] = parseCidr(inner);
  if (ib < ob) return false;
  const mask = ob === 0 ? 0 : (0xffffffff << (32 - ob)) >>> 0;
  return (inn & mask) >>> 0 === on;
}

/** Networking: VCNs, subnets, security lists, route tables and internet gateways. */
export function networkOps(ctx: SandboxContext): NetworkOps {
  const byVcn = (vcnId?: string) => (vcnId ? { vcnId } : undefined);
  return {
    listVcns: (o) => ctx.list({ kind: 'vcn' }, o, toVcn),
    getVcn: (id) => ctx.get('vcn', id, 'VCN', toVcn),
    createVcn: async (spec) => {
      const [, bits] = parseCidr(spec.cidrBlock);
      if (bits < 16 || bits > 30) throw new CloudBadRequest('cidrBlock: a VCN CIDR must be between /16 and /30');
      const data = { cidrBlocks: [spec.cidrBlock], dnsLabel: spec.dnsLabel ?? null };
      const then = { state: 'AVAILABLE', afterMs: TRANSITION_MS.network };
      return ctx.create(
        [{ kind: 'vcn', name: spec.name, state: 'PROVISIONING', compartmentId: spec.compartmentId ?? ctx.tenancyId, data, then }],
        toVcn,
      );
    },
    deleteVcn: (id) =>
      ctx.run(async (tx, now) => {
        const vcn = await ctx.must(tx, 'vcn', id, 'VCN', now);
        const subnets = await repo.list(tx, ctx.orgId, { kind: 'subnet', dataEq: { vcnId: id }, state: 'AVAILABLE' }, now, 1);
        if (subnets.count > 0) throw new CloudConflict(`VCN ${vcn.name} still has ${subnets.count} subnet(s); delete them first`);
        const t = { from: ['AVAILABLE'], state: 'TERMINATING', then: { state: 'TERMINATED', afterMs: TRANSITION_MS.network } };
        return ctx.transitionIn(tx, now, 'vcn', id, 'VCN', t, toVcn, 'delete');
      }),
    listSubnets: (o) => ctx.list({ kind: 'subnet', dataEq: byVcn(o?.vcnId) }, o, toSubnet),
    createSubnet: (spec) =>
      ctx.create(async (tx, now) => {
        const vcn = await ctx.must(tx, 'vcn', spec.vcnId, 'VCN', now);
        const cidrs = (vcn.data.cidrBlocks as string[]) ?? [];
        if (!cidrs.some((c) => cidrContains(c, spec.cidrBlock))) {
          throw new CloudBadRequest(`cidrBlock: ${spec.cidrBlock} is not inside the VCN's ${cidrs.join(', ')}`);
        }
        const data = {
          vcnId: spec.vcnId,
          cidrBlock: spec.cidrBlock,
          availabilityDomain: null,
          public: spec.public,
          routeTableId: null,
          securityListIds: [],
        };
        return [
          {
            kind: 'subnet',
            name: spec.name,
            state: 'PROVISIONING',
            compartmentId: vcn.compartment_id,
            data,
            then: { state: 'AVAILABLE', afterMs: TRANSITION_MS.network },
          },
        ];
      }, toSubnet),
    listSecurityLists: (o) => ctx.list({ kind: 'security_list', dataEq: byVcn(o?.vcnId) }, o, toSecurityList),
    getSecurityList: (id) => ctx.get('security_list', id, 'Security list', toSecurityList),
    updateSecurityRules: (id, direction, rules) => {
      const field = direction === 'ingress' ? 'ingressRules' : 'egressRules';
      return ctx.transition(
        'security_list',
        id,
        'Security list',
        { from: ['AVAILABLE'], patch: { [field]: rules.map((r) => ({ ...r, direction })) } },
        toSecurityList,
        'update',
      );
    },
    listRouteTables: (o) => ctx.list({ kind: 'route_table', dataEq: byVcn(o?.vcnId) }, o, toRouteTable),
    listInternetGateways: (o) => ctx.list({ kind: 'internet_gateway', dataEq: byVcn(o?.vcnId) }, o, toInternetGateway),
  };
}
