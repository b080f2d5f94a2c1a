import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const read = (p: string): Promise<string> => readFile(new URL(p, root), 'utf8');

// No Docker engine runs in CI, so the deploy files are checked for the properties the review asked
// for (a health check with a timeout; a compose file that includes the API and its dependencies).
describe('deploy files', () => {
  it('the image health check has its own timeout and probes /healthz', async () => {
    const dockerfile = await read('deploy/Dockerfile');
    const hc = /HEALTHCHECK ([^\n]+)\\\n\s+CMD ([^\n]+)/.exec(dockerfile);
    expect(hc).not.toBeNull();
    expect(hc![1]).toMatch(/--timeout=\d+s/);
    expect(hc![2]).toMatch(/--max-time \d+/);
    expect(hc![2]).toContain('/healthz');
    expect(dockerfile).toMatch(/COPY --from=build .* \/app\/apps\/server /);
    expect(dockerfile).toMatch(/COPY --from=build .* \/app\/packages /);
  });

  it('compose runs the API replicas, a worker, migrations, PostgreSQL and Valkey from the real Dockerfile', async () => {
    const compose = await read('deploy/compose.yaml');
    for (const service of ['postgres:', 'valkey:', 'migrate:', 'api-1:', 'api-2:', 'worker:']) expect(compose).toContain(`\n  ${service}`);
    expect(compose).toContain('dockerfile: deploy/Dockerfile');
    await expect(read('deploy/Dockerfile')).resolves.toBeTruthy();
    expect(compose).toMatch(/CLOUDNOW_SECRET: \$\{CLOUDNOW_SECRET:\?/);
  });
});
