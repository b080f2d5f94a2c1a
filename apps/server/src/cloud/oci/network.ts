import type { NetworkOps } from '../provider.ts';
import { pageOf, type OciContext } from './context.ts';
import * as slim from './slim.ts';

/** Networking through the OCI SDK (VirtualNetworkClient). */
export function ociNetworkOps(x: OciContext): NetworkOps {
  return {
    listVcns: (o) =>
      x.call('networking', 'list VCNs', 'the compartment', async (c) =>
        pageOf((await c.network.listVcns({ compartmentId: x.compartment(c, o), limit: x.limit(o) })).items, slim.vcn, x.limit(o)),
      ),
    getVcn: (id) => x.call('networking', 'get VCN', `VCN ${id}`, async (c) => slim.vcn((await c.network.getVcn({ vcnId: id })).vcn)),
    createVcn: (s) =>
      x.call('networking', 'create VCN', `VCN ${s.name}`, async (c) => {
        const r = await c.network.createVcn({
          createVcnDetails: {
            compartmentId: s.compartmentId ?? c.compartmentId,
            cidrBlocks: [s.cidrBlock],
            displayName: s.name,
            dnsLabel: s.dnsLabel,
          },
        });
        return slim.vcn(r.vcn);
      }),
    deleteVcn: (id) =>
      x.call('networking', 'delete VCN', `VCN ${id}`, async (c) => {
        const before = (await c.network.getVcn({ vcnId: id })).vcn;
        await c.network.deleteVcn({ vcnId: id });
        return { ...slim.vcn(before), lifecycleState: 'TERMINATING' };
      }),
    listSubnets: (o) =>
      x.call('networking', 'list subnets', 'the compartment', async (c) =>
        pageOf(
          (await c.network.listSubnets({ compartmentId: x.compartment(c, o), vcnId: o?.vcnId, limit: x.limit(o) })).items,
          slim.subnet,
          x.limit(o),
        ),
      ),
    createSubnet: (s) =>
      x.call('networking', 'create subnet', `subnet ${s.name}`, async (c) => {
        const vcn = (await c.network.getVcn({ vcnId: s.vcnId })).vcn;
        const details = {
          compartmentId: vcn.compartmentId,
          vcnId: s.vcnId,
          cidrBlock: s.cidrBlock,
          displayName: s.name,
          prohibitPublicIpOnVnic: !s.public,
        };
        return slim.subnet((await c.network.createSubnet({ createSubnetDetails: details })).subnet);
      }),
    listSecurityLists: (o) =>
      x.call('networking', 'list security lists', 'the compartment', async (c) =>
        pageOf(
          (await c.network.listSecurityLists({ compartmentId: x.compartment(c, o), vcnId: o?.vcnId, limit: x.limit(o) })).items,
          slim.securityList,
          x.limit(o),
        ),
      ),
    getSecurityList: (id) =>
      x.call('networking', 'get security list', `security list ${id}`, async (c) =>
        slim.securityList((await c.network.getSecurityList({ securityListId: id })).securityList),
      ),
    updateSecurityRules: (id, direction, rules) =>
      x.call('networking', 'update security list', `security list ${id}`, async (c) => {
        const oci = rules.map((r) => slim.toOciRule({ ...r, direction }));
        const details = direction === 'ingress' ? { ingressSecurityRules: oci as any } : { egressSecurityRules: oci as any };
        return slim.securityList(
          (await c.network.updateSecurityList({ securityListId: id, updateSecurityListDetails: details })).securityList,
        );
      }),
    listRouteTables: (o) =>
      x.call('networking', 'list route tables', 'the compartment', async (c) =>
        pageOf(
          (await c.network.listRouteTables({ compartmentId: x.compartment(c, o), vcnId: o?.vcnId, limit: x.limit(o) })).items,
          slim.routeTable,
          x.limit(o),
        ),
      ),
    listInternetGateways: (o) =>
      x.call('networking', 'list internet gateways', 'the compartment', async (c) =>
        pageOf(
          (await c.network.listInternetGateways({ compartmentId: x.compartment(c, o), vcnId: o?.vcnId, limit: x.limit(o) })).items,
          slim.internetGateway,
          x.limit(o),
        ),
      ),
  };
}
