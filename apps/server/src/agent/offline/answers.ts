import { idOf, nameOf, rowsOf, type Row, type ToolOutcome } from './conversation.ts';

/** Columns shown per tool, by the first key present in the items (label → candidate keys). */
const COLUMNS: Record<string, Array<[string, string[]]>> = {
  list_instances: [
    ['Name', ['displayName', 'name']],
    ['State', ['lifecycleState', 'state']],
    ['Shape', ['shape']],
    ['OCPUs', ['ocpus']],
    ['Memory (GB)', ['memoryInGBs', 'memoryGb']],
    ['Availability domain', ['availabilityDomain']],
    ['ID', ['id', 'ocid']],
  ],
  list_buckets: [
    ['Name', ['name', 'displayName']],
    ['Namespace', ['namespace']],
    ['Storage tier', ['storageTier']],
    ['Public access', ['publicAccessType']],
    ['Size (GB)', ['approximateSizeGb', 'sizeGb']],
    ['Created', ['timeCreated']],
  ],
  list_vcns: [
    ['Name', ['displayName', 'name']],
    ['CIDR', ['cidrBlock', 'cidrBlocks', 'cidr']],
    ['State', ['lifecycleState', 'state']],
    ['DNS label', ['dnsLabel']],
    ['ID', ['id', 'ocid']],
  ],
  list_autonomous_databases: [
    ['Name', ['displayName', 'dbName', 'name']],
    ['Workload', ['dbWorkload', 'workload']],
    ['State', ['lifecycleState', 'state']],
    ['ECPUs', ['computeCount', 'cpuCoreCount', 'ecpus']],
    ['Storage (TB)', ['dataStorageSizeInTBs', 'storageTb']],
    ['ID', ['id', 'ocid']],
  ],
  list_compartments: [
    ['Name', ['name', 'displayName']],
    ['Description', ['description']],
    ['State', ['lifecycleState', 'state']],
    ['ID', ['id', 'ocid']],
  ],
  list_findings: [
    ['Severity', ['severity']],
    ['Domain', ['domain']],
    ['Title', ['title']],
    ['Resource', ['resourceName', 'resourceId', 'resource']],
    ['Recommendation', ['recommendation']],
  ],
};

const TITLES: Record<string, [string, string]> = {
  list_instances: ['Instances', 'instances'],
  list_buckets: ['Buckets', 'buckets'],
  list_vcns: ['VCNs', 'VCNs'],
  list_autonomous_databases: ['Autonomous databases', 'autonomous databases'],
  list_compartments: ['Compartments', 'compartments'],
  list_findings: ['Findings', 'findings'],
};

/** A markdown table cell: scalars as text, arrays joined, pipes and newlines neutralised. */
function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  const text = Array.isArray(value) ? value.map(cell).join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function isScalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

/** Renders rows as a markdown table with the tool's preferred columns, else the first scalar keys. */
export function markdownTable(toolName: string, rows: readonly Row[]): string {
  const first = rows[0] ?? {};
  let columns = (COLUMNS[toolName] ?? [])
    .map(([label, keys]) => [label, keys.find((k) => rows.some((r) => k in r))] as const)
    .filter((c): c is readonly [string, string] => c[1] !== undefined);
  if (columns.length === 0) {
    columns = Object.keys(first)
      .filter((k) => isScalar(first[k]))
      .slice(0, 6)
      .map((k) => [k, k] as const);
  }
  const header = `| ${columns.map((c) => c[0]).join(' | ')} |`;
  const rule = `| ${columns.map(() => '---').join(' | ')} |`;
  const body = rows.map((r) => `| ${columns.map(([, k]) => cell(r[k])).join(' | ')} |`);
  return [header, rule, ...body].join('\n');
}

function listAnswer(outcome: ToolOutcome): string {
  const [title, noun] = TITLES[outcome.toolName] ?? [outcome.toolName, 'items'];
  const rows = rowsOf(outcome.value);
  const total = Number((outcome.value as Row | null)?.count ?? rows.length);
  if (rows.length === 0) return `No ${noun} found.`;
  const shown = total > rows.length ? ` — showing ${rows.length} of ${total}` : '';
  return `**${title}** (${total}${shown})\n\n${markdownTable(outcome.toolName, rows)}`;
}

function target(outcome: ToolOutcome): string {
  const input = (outcome.input ?? {}) as Row;
  return String(input.instanceId ?? input.id ?? '');
}

function instanceAnswer(outcome: ToolOutcome): string {
  const row = rowsOf(outcome.value)[0] ?? {};
  const label = nameOf(row) ?? idOf(row) ?? target(outcome);
  const state = row.lifecycleState ?? row.state;
  if (outcome.toolName === 'get_instance') {
    const fields = Object.entries(row).filter(([, v]) => isScalar(v));
    const table = ['| Field | Value |', '| --- | --- |', ...fields.map(([k, v]) => `| ${k} | ${cell(v)} |`)].join('\n');
    return `**${cell(label)}**\n\n${table}`;
  }
  const verb = outcome.toolName === 'stop_instance' ? 'stop' : 'start';
  return state
    ? `The ${verb} request for **${cell(label)}** was accepted; its state is now \`${cell(state)}\`.`
    : `The ${verb} request for **${cell(label)}** was accepted.`;
}

function amountOf(row: Row): number {
  const v = row.amount ?? row.cost ?? row.total ?? row.computedAmount;
  return typeof v === 'number' ? v : Number(v ?? 0) || 0;
}

function money(n: number, currency: string): string {
  return `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
}

/** Cost summary → totals by service, largest first, with the grand total. */
function costAnswer(outcome: ToolOutcome): string {
  const value = (outcome.value ?? {}) as Row;
  const currency = String(value.currency ?? 'USD');
  const lines = rowsOf(value.byService ?? value.services ?? value.items ?? value.lines ?? []);
  const byService = new Map<string, number>();
  for (const line of lines) {
    const service = String(line.service ?? line.serviceName ?? line.name ?? 'Other');
    byService.set(service, (byService.get(service) ?? 0) + amountOf(line));
  }
  const sorted = [...byService].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = typeof value.total === 'number' ? value.total : sorted.reduce((s, [, n]) => s + n, 0);
  const days = value.days ?? (outcome.input as Row | null)?.days;
  const period = days ? `the last ${cell(days)} days` : 'the period';
  if (sorted.length === 0) return `Total cost for ${period}: **${money(total, currency)}**.`;
  const rows = sorted.map(([service, n]) => `| ${cell(service)} | ${money(n, currency)} |`);
  return [
    `**Cost by service** for ${period}`,
    '',
    '| Service | Cost |',
    '| --- | --- |',
    ...rows,
    `| **Total** | **${money(total, currency)}** |`,
  ].join('\n');
}

function failure(outcome: ToolOutcome): string {
  const what = target(outcome) ? ` for \`${target(outcome)}\`` : '';
  const message = (outcome.message ?? '').replace(/^\w*Error:\s*/, '').replace(/\.$/, '') || 'no details were given';
  return `\`${outcome.toolName}\`${what} failed: ${message}. Nothing else was changed.`;
}

/** One paragraph per tool outcome of this turn, as Charlie would present it. */
export function answerFor(outcome: ToolOutcome): string {
  if (outcome.status === 'denied') {
    const why = outcome.message ? ` (${outcome.message})` : '';
    const what = target(outcome) ? ` on \`${target(outcome)}\`` : '';
    return `I did not run \`${outcome.toolName}\`${what}: the request was denied${why}.`;
  }
  if (outcome.status === 'pending') return `\`${outcome.toolName}\` is waiting for approval; I have not run it.`;
  if (outcome.status === 'error') return failure(outcome);
  const err = (outcome.value as Row | null)?.error;
  if (err) return failure({ ...outcome, status: 'error', message: typeof err === 'string' ? err : JSON.stringify(err) });
  if (outcome.toolName === 'get_cost_summary') return costAnswer(outcome);
  if (/^(get|start|stop)_instance$/.test(outcome.toolName)) return instanceAnswer(outcome);
  return listAnswer(outcome);
}

/** What the offline model can do, listed from the tools it was offered. */
export function capabilities(offered: ReadonlySet<string>): string {
  const lines: Array<[string, string]> = [
    ['list_instances', 'list, inspect, start and stop compute instances ("stop instance web-1")'],
    ['list_buckets', 'list Object Storage buckets'],
    ['list_vcns', 'list VCNs'],
    ['list_autonomous_databases', 'list Autonomous Databases'],
    ['get_cost_summary', 'summarise costs by service ("costs for the last 7 days")'],
    ['list_findings', 'list cost, security and availability findings'],
    ['list_compartments', 'list compartments'],
  ];
  const can = lines.filter(([tool]) => offered.has(tool)).map(([, what]) => `- ${what}`);
  return can.length > 0 ? `I can:\n${can.join('\n')}` : 'No tools are available to me in this conversation.';
}

/** The honest answer for anything the offline model does not understand. */
export const OFFLINE_NOTICE = "I'm the offline model; connect a provider in Admin → AI providers to chat freely.";
