import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '@cloudnow/shared';
import type { FindingsService } from './findings.service.ts';
import { DOMAINS, FINDING_STATUSES, SEVERITIES } from './findings.tables.ts';

const error = z.object({ code: z.string(), message: z.string() });
const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(200)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).max(values.length));
const finding = z.object({
  id: z.string(),
  domain: z.enum(DOMAINS),
  rule: z.string(),
  severity: z.enum(SEVERITIES),
  confidence: z.number(),
  title: z.string(),
  summary: z.string(),
  impact: z.string(),
  recommendation: z.string(),
  monthlySaving: z.number(),
  resources: z.array(z.object({ id: z.string(), name: z.string(), type: z.string() })),
  charliePrompt: z.string(),
  evidence: z.array(z.object({ call: z.string(), observed: z.string() })),
  status: z.enum(FINDING_STATUSES),
  statusNote: z.string().nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
});
const run = z.object({ id: z.string(), domain: z.enum(DOMAINS), status: z.string() });
const tags = ['advisor'];

/** CloudAdvisor routes under /api/advisor (findings:read / findings:write). */
export async function findingsRoutes(app: FastifyInstance, service: FindingsService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/advisor/runs',
    {
      config: { permission: 'findings:write' },
      schema: {
        tags,
        body: z.strictObject({ domains: z.array(z.enum(DOMAINS)).min(1).max(DOMAINS.length).optional() }).default({}),
        response: { 202: z.object({ runs: z.array(run), alreadyRunning: z.array(z.enum(DOMAINS)) }), 409: error },
      },
    },
    async (req, reply) => reply.code(202).send(await service.startRuns(req.actor!, req.body.domains)),
  );
  r.get(
    '/api/advisor/runs/:id',
    {
      config: { permission: 'findings:read' },
      schema: {
        tags,
        params: z.object({ id: z.uuid() }),
        response: {
          200: run.extend({
            summary: z.string().nullable(),
            stats: z.record(z.string(), z.unknown()),
            error: z.string().nullable(),
            createdAt: z.string(),
            finishedAt: z.string().nullable(),
          }),
          404: error,
        },
      },
    },
    async (req) => service.run(req.actor!, req.params.id),
  );
  r.get(
    '/api/advisor/findings',
    {
      config: { permission: 'findings:read' },
      schema: {
        tags,
        querystring: z.object({
          domain: z.enum(DOMAINS).optional(),
          severity: csv(SEVERITIES).optional(),
          status: csv(FINDING_STATUSES).optional(),
          limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ items: z.array(finding), total: z.number() }) },
      },
    },
    async (req) =>
      service.list(req.actor!, {
        domain: req.query.domain,
        severities: req.query.severity,
        statuses: req.query.status,
        limit: req.query.limit,
        offset: req.query.offset,
      }),
  );
  r.get(
    '/api/advisor/findings/:id',
    {
      config: { permission: 'findings:read' },
      schema: { tags, params: z.object({ id: z.uuid() }), response: { 200: finding, 404: error } },
    },
    async (req) => service.get(req.actor!, req.params.id),
  );
  r.patch(
    '/api/advisor/findings/:id',
    {
      config: { permission: 'findings:write' },
      schema: {
        tags,
        params: z.object({ id: z.uuid() }),
        body: z.strictObject({ status: z.enum(FINDING_STATUSES), note: z.string().max(1000).optional() }),
        response: { 200: finding, 400: error, 404: error },
      },
    },
    async (req) => service.setStatus(req.actor!, req.params.id, req.body.status, req.body.note ?? null),
  );
  r.get(
    '/api/advisor/summary',
    {
      config: { permission: 'findings:read' },
      schema: {
        tags,
        response: {
          200: z.object({
            domains: z.array(
              z.object({
                domain: z.enum(DOMAINS),
                open: z.number(),
                monthlySaving: z.number(),
                bySeverity: z.record(z.string(), z.number()),
                latestRun: z.record(z.string(), z.unknown()).nullable(),
              }),
            ),
            totalMonthlySaving: z.number(),
            top: z.array(finding),
          }),
        },
      },
    },
    async (req) => service.summary(req.actor!),
  );
}
