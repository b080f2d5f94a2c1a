import type { FastifyInstance } from 'fastify';

/** GET /api/v1/workflows/runs/:id/stream (SSE). */
export function registerStreamRoute(_app: FastifyInstance): void {}
