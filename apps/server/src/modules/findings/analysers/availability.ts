import { all, type Analyser, type DetectedFinding } from './types.ts';

/**
 * Availability: compartments whose running instances all sit in one availability domain, and
 * autonomous databases without a backup.
 */
export const availabilityAnalyser: Analyser = async (cloud) => {
  const out: DetectedFinding[] = [];
  const running = (await all((p) => cloud.listInstances(p))).filter((i) => i.lifecycleState === 'RUNNING');
  const byCompartment = new Map<string, typeof running>();
  for (const i of running) byCompartment.set(i.compartmentId, [...(byCompartment.get(i.compartmentId) ?? []), i]);
  const compartments = new Map((await all((p) => cloud.listCompartments(p))).map((c) => [c.id, c]));
  for (const [compartmentId, instances] of byCompartment) {
    const ads = new Set(instances.map((i) => i.availabilityDomain));
    if (instances.length < 2 || ads.size > 1) continue;
    const name = (compartments.get(compartmentId) as { name?: string } | undefined)?.name ?? compartmentId;
    out.push({
      fingerprint: `availability:single-ad:${compartmentId}`,
      domain: 'availability',
      rule: 'single-ad',
      severity: 'medium',
      confidence: 0.8,
      title: `All instances of ${name} run in one availability domain`,
      summary: `${instances.length} running instances in ${name} are all in ${[...ads][0]}.`,
      impact: 'An outage of that availability domain takes the whole workload down.',
      recommendation: 'Spread instances across availability domains (or at least fault domains) behind a load balancer.',
      monthlySaving: 0,
      resources: instances.map((i) => ({ id: i.id, name: i.name, type: 'instance' })),
      charliePrompt: `All my instances in ${name} are in one availability domain. Plan how to spread them across ADs.`,
      evidence: [
        { call: 'list_instances', observed: `${instances.length} RUNNING instances, availability domains: ${[...ads].join(', ')}` },
      ],
    });
  }
  for (const db of await all((p) => cloud.listAutonomousDatabases(p))) {
    const backups = await cloud.listAutonomousDatabaseBackups(db.id, { limit: 1 });
    if (backups.items.length > 0 || db.isFreeTier) continue;
    out.push({
      fingerprint: `availability:no-backup:${db.id}`,
      domain: 'availability',
      rule: 'no-backup',
      severity: 'high',
      confidence: 0.85,
      title: `Autonomous database ${db.name} has no backup`,
      summary: `${db.name} (${db.workload}) has no backups.`,
      impact: 'Data lost to an error or a bad deployment cannot be restored.',
      recommendation: 'Take a manual backup now and confirm automatic backups and their retention.',
      monthlySaving: 0,
      resources: [{ id: db.id, name: db.name, type: 'autonomous-database' }],
      charliePrompt: `Autonomous database ${db.name} has no backups. Create one now.`,
      evidence: [{ call: 'list_autonomous_database_backups', observed: '0 backups' }],
    });
  }
  return out;
};
