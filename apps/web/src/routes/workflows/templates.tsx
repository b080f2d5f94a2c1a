import { useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { can, useMe } from '../../api/session.ts';
import { workflowsApi } from '../../api/workflows.ts';
import { Badge, Button, Empty, ErrorBanner, Loading, PageHeader } from '../../components/ui.tsx';

/** /workflows/templates: the built-in templates; "Use template" creates a draft and opens it. */
export default function TemplatesPage() {
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const templates = useQuery({ queryKey: ['workflow-templates'], queryFn: () => workflowsApi.templates(), staleTime: 300_000 });
  const create = useMutation({
    mutationFn: (id: string) => workflowsApi.fromTemplate(id),
    onSuccess: (d) => {
      void qc.invalidateQueries({ queryKey: ['workflows'] });
      qc.setQueryData(['workflow', d.id], d);
      void navigate(`/workflows/${d.id}`);
    },
  });
  const canWrite = can(me.data, 'workflows:write');
  return (
    <>
      <PageHeader title="Workflow templates">
        Ready-made workflows for common jobs. Using one creates a draft you can change before running.
      </PageHeader>
      <ErrorBanner error={templates.error ?? create.error} />
      {templates.isLoading ? (
        <Loading />
      ) : !templates.data?.items.length ? (
        <Empty title="No templates" />
      ) : (
        <div className="grid">
          {templates.data.items.map((t) => (
            <article key={t.id} className="card stack">
              <h2 style={{ margin: 0 }}>{t.name}</h2>
              <p className="muted" style={{ margin: 0, flex: 1 }}>
                {t.description}
              </p>
              <div className="row">
                {t.tags.map((tag) => (
                  <Badge key={tag}>{tag}</Badge>
                ))}
                <span className="muted">{t.nodeCount} steps</span>
              </div>
              {canWrite ? (
                <div>
                  <Button
                    variant="primary"
                    busy={create.isPending && create.variables === t.id}
                    onClick={() => create.mutate(t.id)}
                    aria-label={`Use template ${t.name}`}
                  >
                    Use template
                  </Button>
                </div>
              ) : null}
            </article>
          ))}
        </div>
      )}
    </>
  );
}
