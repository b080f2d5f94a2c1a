import { useEffect, useState } from 'react';

interface Readiness {
  status: string;
  database: { kind: string; ok: boolean };
}

/** Placeholder shell until the portal UI lands: shows that the server is up and ready. */
export function App() {
  const [ready, setReady] = useState<Readiness | null>(null);
  useEffect(() => {
    fetch('/readyz')
      .then((r) => r.json() as Promise<Readiness>)
      .then(setReady)
      .catch(() => setReady(null));
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '40rem', margin: '4rem auto', padding: '0 1rem' }}>
      <h1>CloudNow</h1>
      <p>The self-hosted AI operations portal for Oracle Cloud.</p>
      <p aria-live="polite">{ready ? `Server ${ready.status} · database ${ready.database.kind}` : 'Checking the server…'}</p>
    </main>
  );
}
