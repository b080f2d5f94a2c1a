import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { Button, ErrorBanner, Loading, TextArea, fieldError, formatDate } from '../../components/ui.tsx';
import { SectionHeader, splitList } from '../../components/admin/common.tsx';

type Mode = 'never' | 'once_per_thread' | 'always';
interface Policy {
  include: string[];
  exclude: string[];
  rules: Array<{ pattern: string; approval: Mode }>;
  updatedAt: string | null;
  updatedBy: string | null;
}
const MODES: Mode[] = ['never', 'once_per_thread', 'always'];

/** Which tools the org may use (include/exclude globs) and approval rules per pattern. */
export default function ToolPoliciesSection() {
  const qc = useQueryClient();
  const policy = useQuery({ queryKey: ['admin', 'tool-policies'], queryFn: () => api.get<Policy>('/api/admin/tool-policies') });
  const [include, setInclude] = useState('');
  const [exclude, setExclude] = useState('');
  const [rules, setRules] = useState<Policy['rules']>([]);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!policy.data) return;
    setInclude(policy.data.include.join('\n'));
    setExclude(policy.data.exclude.join('\n'));
    setRules(policy.data.rules);
  }, [policy.data]);
  const save = useMutation({
    mutationFn: () =>
      api.put<Policy>('/api/admin/tool-policies', {
        include: splitList(include),
        exclude: splitList(exclude),
        rules: rules.filter((r) => r.pattern.trim()),
      }),
    onSuccess: (p) => {
      qc.setQueryData(['admin', 'tool-policies'], p);
      void qc.invalidateQueries({ queryKey: ['tools'] });
      setSaved(true);
    },
  });
  if (policy.isLoading) return <Loading />;
  if (policy.isError) return <ErrorBanner error={policy.error} />;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <SectionHeader title="Tool policies">
        Globs over tool names (<code>*</code> matches anything, e.g. <code>delete_*</code>). Last changed{' '}
        {formatDate(policy.data?.updatedAt)}.
      </SectionHeader>
      <div className="card admin-form stack">
        <div className="row">
          <TextArea
            label="Allowed tools"
            rows={4}
            value={include}
            hint="One glob per line"
            error={fieldError(save.error, 'include')}
            onChange={(e) => (setSaved(false), setInclude(e.target.value))}
          />
          <TextArea
            label="Blocked tools"
            rows={4}
            value={exclude}
            hint="Wins over allowed"
            error={fieldError(save.error, 'exclude')}
            onChange={(e) => (setSaved(false), setExclude(e.target.value))}
          />
        </div>
        <fieldset className="checks" style={{ flexDirection: 'column' }}>
          <legend>Approval rules (first match wins)</legend>
          {rules.map((r, i) => (
            <div className="row" key={i}>
              <input
                aria-label={`Rule ${i + 1} pattern`}
                value={r.pattern}
                onChange={(e) => (setSaved(false), setRules(rules.map((x, j) => (j === i ? { ...x, pattern: e.target.value } : x))))}
              />
              <select
                aria-label={`Rule ${i + 1} approval`}
                value={r.approval}
                onChange={(e) => (
                  setSaved(false),
                  setRules(rules.map((x, j) => (j === i ? { ...x, approval: e.target.value as Mode } : x)))
                )}
              >
                {MODES.map((m) => (
                  <option key={m} value={m}>
                    {m === 'never' ? 'no approval' : m === 'always' ? 'approve every call' : 'approve once per thread'}
                  </option>
                ))}
              </select>
              <Button variant="ghost" aria-label={`Remove rule ${i + 1}`} onClick={() => setRules(rules.filter((_, j) => j !== i))}>
                ✕
              </Button>
            </div>
          ))}
          <div>
            <Button onClick={() => setRules([...rules, { pattern: '', approval: 'always' }])}>Add rule</Button>
          </div>
          {fieldError(save.error, 'rules') ? <small className="field-error">{fieldError(save.error, 'rules')}</small> : null}
        </fieldset>
        <ErrorBanner error={save.error} fields={['include', 'exclude', 'rules']} />
        {saved ? (
          <div className="banner banner-success" role="status">
            Policy saved.
          </div>
        ) : null}
        <div>
          <Button type="submit" variant="primary" busy={save.isPending}>
            Save policy
          </Button>
        </div>
      </div>
    </form>
  );
}
