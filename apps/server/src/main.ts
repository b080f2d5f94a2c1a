#!/usr/bin/env node
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { resolveSecret } from './lib/secret.ts';
import { installSignalHandlers } from './lib/shutdown.ts';

const USAGE = `usage: cloudnow <command>

  serve     HTTP server (runs the job workers too unless CLOUDNOW_RUN_WORKER=false)
  worker    job workers only (workflow steps, deliveries, scans), with /healthz and /readyz
  migrate   apply database migrations and exit`;

/** The CLI: `cloudnow serve | worker | migrate`. */
async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? 'serve';
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();

  if (command === 'migrate') {
    const database = await openDatabase(config.database);
    try {
      const applied = await migrateToLatest(database.db);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    } finally {
      await database.close();
    }
    return 0;
  }
  if (command !== 'serve' && command !== 'worker') {
    console.error(USAGE);
    return 2;
  }

  const { secret, generated, path } = await resolveSecret(config);
  const app = await buildApp(config, { secret, workers: command === 'worker' ? true : config.runWorker });
  if (generated) app.log.info({ path }, 'generated a new CLOUDNOW_SECRET and stored it in the data directory');
  installSignalHandlers(app, config.shutdownTimeoutMs, { drainDelayMs: config.shutdownDrainDelayMs });
  const port = command === 'worker' ? 0 : config.port;
  const address = await app.listen({ port, host: config.host });
  app.log.info({ address, role: command, database: config.database.kind }, 'CloudNow is listening');
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error(err);
    process.exit(1);
  },
);
