import type { ComputeOps } from '../provider.ts';
import { CloudBadRequest } from '../errors.ts';
import { pageOf, type OciContext } from './context.ts';
import * as slim from './slim.ts';

const SDK_ACTION = { START: 'START', STOP: 'SOFTSTOP', REBOOT: 'SOFTRESET' } as const;

/** Compute and block storage through the OCI SDK (ComputeClient, BlockstorageClient). */
export function ociComputeOps(x: OciContext): ComputeOps {
  const firstAd = (c: Awaited<ReturnType<OciContext['clients']>>) =>
    c.identity.listAvailabilityDomains({ compartmentId: c.tenancyId || c.compartmentId }).then((r) => r.items[0]?.name ?? '');
  const ops: ComputeOps = {
    listInstances: (o) =>
      x.call('compute', 'list instances', 'the compartment', async (c) => {
        const r = await c.compute.listInstances({
          compartmentId: x.compartment(c, o),
          limit: x.limit(o),
          lifecycleState: o?.lifecycleState as any,
        });
        return pageOf(r.items, slim.instance, x.limit(o));
      }),
    getInstance: (id) =>
      x.call('compute', 'get instance', `instance ${id}`, async (c) =>
        slim.instance((await c.compute.getInstance({ instanceId: id })).instance),
      ),
    instanceAction: (id, action) =>
      x.call('compute', `${action.toLowerCase()} instance`, `instance ${id}`, async (c) =>
        slim.instance((await c.compute.instanceAction({ instanceId: id, action: SDK_ACTION[action] })).instance),
      ),
    launchInstance: (s) =>
      x.call('compute', 'launch instance', `instance ${s.name}`, async (c) => {
        if (!s.subnetId || !s.imageId) throw new CloudBadRequest('launch_instance on OCI needs subnetId and imageId');
        const r = await c.compute.launchInstance({
          launchInstanceDetails: {
            compartmentId: s.compartmentId ?? c.compartmentId,
            availabilityDomain: s.availabilityDomain ?? (await firstAd(c)),
            displayName: s.name,
            shape: s.shape,
            shapeConfig: s.ocpus || s.memoryGb ? { ocpus: s.ocpus, memoryInGBs: s.memoryGb } : undefined,
            sourceDetails: { sourceType: 'image', imageId: s.imageId } as any,
            createVnicDetails: { subnetId: s.subnetId },
          },
        });
        return slim.instance(r.instance);
      }),
    terminateInstance: (id) =>
      x.call('compute', 'terminate instance', `instance ${id}`, async (c) => {
        await c.compute.terminateInstance({ instanceId: id, preserveBootVolume: false });
        return slim.instance((await c.compute.getInstance({ instanceId: id })).instance);
      }),
    updateInstanceShape: (id, s) =>
      x.call('compute', 'resize instance', `instance ${id}`, async (c) => {
        const details = { shape: s.shape, shapeConfig: s.ocpus || s.memoryGb ? { ocpus: s.ocpus, memoryInGBs: s.memoryGb } : undefined };
        return slim.instance((await c.compute.updateInstance({ instanceId: id, updateInstanceDetails: details })).instance);
      }),
    listShapes: (o) =>
      x.call('compute', 'list shapes', 'the compartment', async (c) =>
        pageOf((await c.compute.listShapes({ compartmentId: x.compartment(c, o), limit: x.limit(o) })).items, slim.shape, x.limit(o)),
      ),
    listImages: (o) =>
      x.call('compute', 'list images', 'the compartment', async (c) => {
        const r = await c.compute.listImages({
          compartmentId: x.compartment(c, o),
          operatingSystem: o?.operatingSystem,
          limit: x.limit(o),
        });
        return pageOf(r.items, slim.image, x.limit(o));
      }),
    listAvailabilityDomains: () =>
      x.call('identity', 'list availability domains', 'the tenancy', async (c) => {
        const r = await c.identity.listAvailabilityDomains({ compartmentId: c.tenancyId || c.compartmentId });
        return pageOf(r.items, (a) => ({ name: a.name ?? '' }), 50);
      }),
    listBootVolumes: (o) =>
      x.call('block storage', 'list boot volumes', 'the compartment', async (c) => {
        const compartmentId = x.compartment(c, o);
        const [vols, atts] = await Promise.all([
          c.blockstorage.listBootVolumes({ compartmentId, limit: x.limit(o) }),
          c.compute
            .listBootVolumeAttachments({ compartmentId, availabilityDomain: undefined as unknown as string, limit: 500 })
            .catch(() => ({ items: [] })),
        ]);
        const owner = new Map(atts.items.map((a: any) => [a.bootVolumeId, a.instanceId]));
        return pageOf(vols.items, (v) => slim.bootVolume(v, owner.get(v.id) ?? null), x.limit(o));
      }),
    listBlockVolumes: (o) =>
      x.call('block storage', 'list block volumes', 'the compartment', async (c) => {
        const compartmentId = x.compartment(c, o);
        const [vols, atts] = await Promise.all([
          c.blockstorage.listVolumes({ compartmentId, limit: 500 }),
          c.compute.listVolumeAttachments({ compartmentId, limit: 500 }),
        ]);
        const attached = new Map(atts.items.filter((a) => a.lifecycleState !== 'DETACHED').map((a) => [a.volumeId, a.instanceId]));
        const items = vols.items.filter((v) => !o?.unattachedOnly || !attached.has(v.id));
        return pageOf(items, (v) => slim.blockVolume(v, attached.get(v.id) ?? null), x.limit(o));
      }),
    createBlockVolume: (s) =>
      x.call('block storage', 'create volume', `volume ${s.name}`, async (c) => {
        const details = {
          compartmentId: s.compartmentId ?? c.compartmentId,
          availabilityDomain: s.availabilityDomain ?? (await firstAd(c)),
          displayName: s.name,
          sizeInGBs: s.sizeGb,
          vpusPerGB: s.vpusPerGb,
        };
        return slim.blockVolume((await c.blockstorage.createVolume({ createVolumeDetails: details })).volume, null);
      }),
    deleteBlockVolume: (id) =>
      x.call('block storage', 'delete volume', `volume ${id}`, async (c) => {
        await c.blockstorage.deleteVolume({ volumeId: id });
        return slim.blockVolume((await c.blockstorage.getVolume({ volumeId: id })).volume, null);
      }),
    listVolumeAttachments: (o) =>
      x.call('compute', 'list volume attachments', 'the compartment', async (c) => {
        const r = await c.compute.listVolumeAttachments({
          compartmentId: x.compartment(c, o),
          instanceId: o?.instanceId,
          limit: x.limit(o),
        });
        return pageOf(r.items, slim.attachment, x.limit(o));
      }),
    attachBlockVolume: (instanceId, volumeId) =>
      x.call('compute', 'attach volume', `volume ${volumeId}`, async (c) => {
        const r = await c.compute.attachVolume({ attachVolumeDetails: { type: 'paravirtualized', instanceId, volumeId } as any });
        return slim.attachment(r.volumeAttachment);
      }),
    detachBlockVolume: (attachmentId) =>
      x.call('compute', 'detach volume', `volume attachment ${attachmentId}`, async (c) => {
        await c.compute.detachVolume({ volumeAttachmentId: attachmentId });
        return slim.attachment((await c.compute.getVolumeAttachment({ volumeAttachmentId: attachmentId })).volumeAttachment);
      }),
  };
  return ops;
}
