import { resolveInstanceId, type ToolOutcome } from './conversation.ts';

/** A tool call the offline model plans to make. */
export interface PlannedCall {
  readonly toolName: string;
  readonly input: Record<string, unknown>;
}

const INSTANCE_OCID = /\bocid1\.instance\.[a-z0-9._-]*[a-z0-9]/i;
const COMPARTMENT_OCID = /\bocid1\.compartment\.[a-z0-9._-]*[a-z0-9]/i;
const INSTANCE_WORD = /\b(instances?|vms?|virtual machines?|servers?|compute|machines?|hosts?)\b/;
const STOP = /\b(stop|shut ?down|power ?off|halt)\b/;
const START = /\b(start|boot|power ?on|turn on)\b/;
const GET = /\b(get|show|describe|details?|status|info|inspect)\b/;
const OTHER_RESOURCE = /\b(buckets?|object storage|vcns?|networks?|subnets?|databases?|adbs?|autonomous|db|costs?|compartments?)\b/;
const NOT_A_NAME = new Set([
  ...'all my the an a this that it me of for on named called please up down them those these some any every each'.split(' '),
  ...'instance instances vm vms server servers compute details status info running stopped everything what which how help'.split(' '),
  ...'bucket buckets database databases db adb vcn vcns network networks cost costs compartment compartments'.split(' '),
]);

/** A named target in the request ("stop instance web-1", "start `db-2`"). */
function extractName(text: string): string | undefined {
  const quoted = /["'`“]([A-Za-z0-9][\w.-]{0,99})["'`”]/.exec(text);
  if (quoted) return quoted[1];
  const patterns = [
    /\b(?:instance|vm|server|machine|host)\s+(?:named\s+|called\s+)?([A-Za-z0-9][\w.-]{0,99})/i,
    /\b(?:named|called)\s+([A-Za-z0-9][\w.-]{0,99})/i,
    /\b(?:status|details?|info)\s+(?:of|for|on|about)\s+(?:the\s+|instance\s+)*([A-Za-z0-9][\w.-]{0,99})/i,
    /\b(?:stop|start|shut ?down|power ?off|power ?on|boot|describe|inspect|get|show)\s+(?:the\s+|instance\s+|me\s+)*([A-Za-z0-9][\w.-]{0,99})/i,
  ];
  for (const re of patterns) {
    const m = re.exec(text);
    const name = m?.[1]?.replace(/[.]+$/, '');
    if (name && !NOT_A_NAME.has(name.toLowerCase())) return name;
  }
  return undefined;
}

/** A bare word after "show"/"get" is taken as an instance only if it looks like one ("web-1") or was listed. */
function looksLikeName(name: string, history: readonly ToolOutcome[]): boolean {
  return /[\d_.-]/.test(name) || resolveInstanceId(name, history) !== undefined;
}

/** The instance a get/start/stop request targets: an OCID, a name resolved from earlier results, or the name. */
function instanceTarget(text: string, history: readonly ToolOutcome[]): string | undefined {
  const ocid = INSTANCE_OCID.exec(text)?.[0];
  if (ocid) return ocid;
  const name = extractName(text);
  if (!name) return undefined;
  return resolveInstanceId(name, history) ?? name;
}

function daysOf(text: string): number | undefined {
  const n = /\b(\d{1,3})\s*days?\b/.exec(text);
  if (n) return Math.min(Math.max(Number(n[1]), 1), 365);
  if (/\b(week|7d)\b/.test(text)) return 7;
  if (/\b(quarter|90d)\b/.test(text)) return 90;
  if (/\b(month|30d)\b/.test(text)) return 30;
  return undefined;
}

function withCompartment(text: string): Record<string, unknown> {
  const compartmentId = COMPARTMENT_OCID.exec(text)?.[0];
  return compartmentId ? { compartmentId } : {};
}

/** Instance intents: stop/start/get need a target; anything else about instances lists them. */
function instanceCalls(lower: string, text: string, history: readonly ToolOutcome[]): PlannedCall[] {
  const target = instanceTarget(text, history);
  const action = STOP.test(lower) ? 'stop_instance' : START.test(lower) ? 'start_instance' : GET.test(lower) ? 'get_instance' : null;
  if (action && target) return [{ toolName: action, input: { instanceId: target } }];
  const input = withCompartment(text);
  if (/\b(running|active)\b/.test(lower)) input.lifecycleState = 'RUNNING';
  else if (/\b(stopped|inactive)\b/.test(lower)) input.lifecycleState = 'STOPPED';
  return [{ toolName: 'list_instances', input }];
}

function findingsCall(lower: string): PlannedCall {
  const input: Record<string, unknown> = {};
  const domain = /\b(cost|security|availability|performance)\b/.exec(lower)?.[1];
  const severity = /\b(critical|high|medium|low)\b/.exec(lower)?.[1];
  if (domain) input.domain = domain;
  if (severity) input.severity = severity;
  return { toolName: 'list_findings', input };
}

/**
 * Plans the tool calls for a request by keywords. Several listings can be asked for at once
 * ("list my buckets and VCNs"); an instance action (start/stop/get) is a single call. Returns an
 * empty list for help or anything it does not recognise — `isHelp` tells the two apart.
 */
export function planCalls(text: string, history: readonly ToolOutcome[]): PlannedCall[] {
  const lower = text.toLowerCase();
  if (/\b(findings?|recommendations?|advisor|posture)\b/.test(lower)) return [findingsCall(lower)];
  if (/\b(costs?|spend(ing)?|bill(ing)?|invoice|how much .* (pay|paying|spent))\b/.test(lower)) {
    const days = daysOf(lower);
    return [{ toolName: 'get_cost_summary', input: days ? { days } : {} }];
  }
  const calls: PlannedCall[] = [];
  const scope = withCompartment(text);
  const named = extractName(text)?.toLowerCase();
  const otherResource = OTHER_RESOURCE.test(named ? lower.replace(named, ' ') : lower);
  if (INSTANCE_WORD.test(lower) || INSTANCE_OCID.test(text)) calls.push(...instanceCalls(lower, text, history));
  else if (!otherResource && named && (STOP.test(lower) || START.test(lower) || (GET.test(lower) && looksLikeName(named, history)))) {
    calls.push(...instanceCalls(lower, text, history));
  }
  if (calls.some((c) => c.toolName !== 'list_instances')) return calls;
  if (/\b(buckets?|object storage)\b/.test(lower)) calls.push({ toolName: 'list_buckets', input: { ...scope } });
  if (/\b(vcns?|virtual cloud networks?|networks?|subnets?)\b/.test(lower)) calls.push({ toolName: 'list_vcns', input: { ...scope } });
  if (/\b(databases?|adbs?|autonomous|atp|adw|db)\b/.test(lower))
    calls.push({ toolName: 'list_autonomous_databases', input: { ...scope } });
  if (/\bcompartments?\b/.test(lower) && calls.length === 0) calls.push({ toolName: 'list_compartments', input: {} });
  return calls;
}

/** Whether the request asks what the assistant can do. */
export function isHelp(text: string): boolean {
  return /^\s*(help|\?|hi|hello|hey)\b|\bwhat can you do\b|\bhow do i use\b|\bcapabilit/i.test(text);
}
