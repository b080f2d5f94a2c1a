/**
 * Test fixture (not a test): a worker process for the crash-recovery test. It builds the app with
 * workers on the database in argv[2], uses a short lease, and a tool port that appends
 * `start|done <pid> <node>` lines to the effects file in argv[3] around a sleep of `args.ms`.
 * Prints `ready` once it is polling.
 */
import { appendFileSync } from 'node:fs';
import { buildApp } from '../../app.ts';
import { parseConfig } from '../../config.ts';

const [url, effects] = process.argv.slice(2) as [string, string];
const secret = 'crash-test-secret-crash-test-secret-0123456789';
const config = parseConfig({ CLOUDNOW_SECRET: secret, DATABASE_URL: url, LOG_LEVEL: 'silent', CLOUDNOW_MIGRATE_ON_START: 'false' });
const app = await buildApp(config, {
  secret,
  logger: false,
  workers: true,
  database: { kind: 'postgres', url, poolMin: 0, poolMax: 5, idleSeconds: 5 },
});
await app.ready();
await app.database.whenReady();
await app.workflows.ready;
app.workflows.configure({
  executor: { leaseMs: 1500, nodeTimeoutMs: 30_000 },
  runTool: async (_actor, req) => {
    appendFileSync(effects, `start ${process.pid} ${req.nodeId}\n`);
    await new Promise((r) => setTimeout(r, Number(req.args.ms ?? 0)));
    appendFileSync(effects, `done ${process.pid} ${req.nodeId}\n`);
    return { node: req.nodeId, pid: process.pid };
  },
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
