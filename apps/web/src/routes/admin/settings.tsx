import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { Button, ErrorBanner, Loading, TextArea, TextInput, fieldError } from '../../components/ui.tsx';
import { Checkbox, SectionHeader, splitList } from '../../components/admin/common.tsx';

interface Settings {
  'portal.name': string;
  'portal.signup_enabled': boolean;
  'portal.allowed_domains': string[];
  'portal.session_timeout': number;
  'portal.maintenance_mode': boolean;
  'portal.maintenance_message': string;
  'portal.terms_url': string | null;
  'portal.privacy_url': string | null;
}
type Key = keyof Settings;

/** Portal settings; saving sends only what changed. */
export default function SettingsSection() {
  const qc = useQueryClient();
  const current = useQuery({ queryKey: ['admin', 'settings'], queryFn: () => api.get<Settings>('/api/admin/settings') });
  const [d, setD] = useState<Settings | null>(null);
  const [domains, setDomains] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (current.data) {
      setD(current.data);
      setDomains(current.data['portal.allowed_domains'].join(', '));
    }
  }, [current.data]);
  const save = useMutation({
    mutationFn: () => {
      const next: Settings = { ...d!, 'portal.allowed_domains': splitList(domains) };
      const changed = Object.fromEntries(
        (Object.keys(next) as Key[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current.data![k])).map((k) => [k, next[k]]),
      );
      return api.put<Settings>('/api/admin/settings', changed);
    },
    onSuccess: (s) => {
      qc.setQueryData(['admin', 'settings'], s);
      void qc.invalidateQueries({ queryKey: ['public-settings'] });
      setSaved(true);
    },
  });
  if (current.isLoading || !d) return current.isError ? <ErrorBanner error={current.error} /> : <Loading />;
  const set = <K extends Key>(k: K, v: Settings[K]) => {
    setSaved(false);
    setD({ ...d, [k]: v });
  };
  const err = (k: Key) => fieldError(save.error, k);
  const dirty = JSON.stringify({ ...d, 'portal.allowed_domains': splitList(domains) }) !== JSON.stringify(current.data);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <SectionHeader title="Settings">How the portal presents itself and who may join.</SectionHeader>
      <div className="card admin-form stack">
        <TextInput
          label="Portal name"
          value={d['portal.name']}
          error={err('portal.name')}
          onChange={(e) => set('portal.name', e.target.value)}
        />
        <Checkbox
          label="Anyone may sign up"
          hint="New accounts join the default organisation as viewers"
          checked={d['portal.signup_enabled']}
          onChange={(v) => set('portal.signup_enabled', v)}
          error={err('portal.signup_enabled')}
        />
        <TextInput
          label="Allowed sign-up domains"
          value={domains}
          placeholder="example.com, example.org"
          hint="Empty: any domain"
          error={err('portal.allowed_domains')}
          onChange={(e) => (setSaved(false), setDomains(e.target.value))}
        />
        <TextInput
          label="Session timeout (minutes)"
          type="number"
          min={5}
          value={d['portal.session_timeout']}
          error={err('portal.session_timeout')}
          onChange={(e) => set('portal.session_timeout', Number(e.target.value))}
        />
        <Checkbox
          label="Maintenance mode"
          hint="Shows the message below on the sign-in page"
          checked={d['portal.maintenance_mode']}
          onChange={(v) => set('portal.maintenance_mode', v)}
        />
        <TextArea
          label="Maintenance message"
          value={d['portal.maintenance_message']}
          rows={2}
          error={err('portal.maintenance_message')}
          onChange={(e) => set('portal.maintenance_message', e.target.value)}
        />
        <div className="row">
          <TextInput
            label="Terms URL"
            type="url"
            value={d['portal.terms_url'] ?? ''}
            error={err('portal.terms_url')}
            onChange={(e) => set('portal.terms_url', e.target.value || null)}
          />
          <TextInput
            label="Privacy URL"
            type="url"
            value={d['portal.privacy_url'] ?? ''}
            error={err('portal.privacy_url')}
            onChange={(e) => set('portal.privacy_url', e.target.value || null)}
          />
        </div>
        <ErrorBanner error={save.error} fields={Object.keys(d)} />
        {saved ? (
          <div className="banner banner-success" role="status">
            Settings saved.
          </div>
        ) : null}
        <div>
          <Button type="submit" variant="primary" busy={save.isPending} disabled={!dirty}>
            Save settings
          </Button>
        </div>
      </div>
    </form>
  );
}
