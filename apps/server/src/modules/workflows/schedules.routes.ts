import type { FastifyInstance } from 'fastify';

/** Schedules routes. */
export function registerScheduleRoutes(_app: FastifyInstance): void {}
