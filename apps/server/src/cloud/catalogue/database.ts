import { z } from 'zod';
import { limit, listInput, ocid } from './common.ts';
import { defineTool, type ToolDefinition } from './types.ts';

const autonomousDatabaseId = ocid('autonomous database');

/** Database tools: autonomous databases, their backups, start/stop. */
export const databaseTools: readonly ToolDefinition[] = [
  defineTool({
    name: 'list_autonomous_databases',
    description: 'List Autonomous Databases with workload, compute and storage size and state.',
    category: 'database',
    risk: 'read',
    changes: '',
    input: listInput,
    execute: (ctx, a) => ctx.cloud.listAutonomousDatabases(a),
  }),
  defineTool({
    name: 'get_autonomous_database',
    description: 'Get one Autonomous Database by OCID.',
    category: 'database',
    risk: 'read',
    changes: '',
    input: z.strictObject({ autonomousDatabaseId }),
    execute: (ctx, a) => ctx.cloud.getAutonomousDatabase(a.autonomousDatabaseId),
  }),
  defineTool({
    name: 'start_autonomous_database',
    description: 'Start a stopped Autonomous Database.',
    category: 'database',
    risk: 'medium',
    changes: 'Starts the database; compute billing resumes.',
    input: z.strictObject({ autonomousDatabaseId }),
    execute: (ctx, a) => ctx.cloud.autonomousDatabaseAction(a.autonomousDatabaseId, 'START'),
  }),
  defineTool({
    name: 'stop_autonomous_database',
    description: 'Stop an Autonomous Database (storage is still billed).',
    category: 'database',
    risk: 'medium',
    changes: 'Stops the database: every application using it loses its connection until it is started.',
    input: z.strictObject({ autonomousDatabaseId }),
    execute: (ctx, a) => ctx.cloud.autonomousDatabaseAction(a.autonomousDatabaseId, 'STOP'),
  }),
  defineTool({
    name: 'list_autonomous_database_backups',
    description: 'List the backups of an Autonomous Database.',
    category: 'database',
    risk: 'read',
    changes: '',
    input: z.strictObject({ autonomousDatabaseId, limit }),
    execute: (ctx, a) => ctx.cloud.listAutonomousDatabaseBackups(a.autonomousDatabaseId, { limit: a.limit }),
  }),
  defineTool({
    name: 'create_autonomous_database_backup',
    description: 'Take a manual full backup of an Autonomous Database.',
    category: 'database',
    risk: 'low',
    changes: 'Creates a backup, billed as backup storage.',
    input: z.strictObject({
      autonomousDatabaseId,
      name: z
        .string()
        .min(1)
        .max(255)
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dots, dashes and underscores')
        .describe('Backup display name'),
    }),
    execute: (ctx, a) => ctx.cloud.createAutonomousDatabaseBackup(a.autonomousDatabaseId, a.name),
  }),
];
