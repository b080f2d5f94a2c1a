import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { useAuthSession } from '../api/session.ts';
import type { InvitationInfo } from '../api/types.ts';
import { Badge, Button, ErrorBanner, Loading, formatDate } from '../components/ui.tsx';
import './auth.css';

/** An invitation link: shows the org and role, and lets the signed-in invitee accept it. */
export default function InvitationPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const invitation = useQuery({
    queryKey: ['invitation', id],
    queryFn: () => api.get<InvitationInfo>(`/api/invitations/${encodeURIComponent(id)}`),
  });
  const session = useAuthSession();
  const accept = useMutation({
    mutationFn: () => api.post<{ orgId: string; orgName: string; role: string }>(`/api/invitations/${encodeURIComponent(id)}/accept`),
    onSuccess: () => {
      qc.removeQueries({ queryKey: ['me'] });
      void navigate('/', { replace: true });
    },
  });
  const here = encodeURIComponent(`/invitations/${id}`);
  const inv = invitation.data;
  const user = session.data?.user;

  return (
    <main className="auth-page">
      <span className="auth-brand">CloudNow</span>
      <section className="auth-card" aria-labelledby="invite-title">
        <h1 id="invite-title">Invitation</h1>
        {invitation.isLoading || session.isLoading ? <Loading /> : null}
        <ErrorBanner error={invitation.error} />
        {inv ? (
          <div className="stack">
            <p>
              You are invited to join <strong>{inv.orgName}</strong> as <Badge tone="info">{inv.role}</Badge>.
            </p>
            <p className="muted">
              For {inv.email} · expires {formatDate(inv.expiresAt)}
            </p>
            {inv.status !== 'pending' ? (
              <div className="banner banner-info" role="status">
                This invitation is {inv.status}.
              </div>
            ) : user ? (
              <>
                {user.email.toLowerCase() !== inv.email.toLowerCase() ? (
                  <div className="banner banner-info" role="status">
                    You are signed in as {user.email}; the invitation is for {inv.email}.
                  </div>
                ) : null}
                <ErrorBanner error={accept.error} />
                <Button variant="primary" onClick={() => accept.mutate()} busy={accept.isPending}>
                  Accept and join {inv.orgName}
                </Button>
              </>
            ) : (
              <div className="row">
                <Link className="btn btn-primary" to={`/sign-in?next=${here}`}>
                  Sign in to accept
                </Link>
                <Link className="btn" to={`/sign-up?next=${here}`}>
                  Create an account
                </Link>
              </div>
            )}
          </div>
        ) : null}
      </section>
    </main>
  );
}
