import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ROLES, type Role } from '@cloudnow/shared';
import { api } from '../../api/client.ts';
import { useMe } from '../../api/session.ts';
import { Badge, Button, Empty, ErrorBanner, Loading, Pager, Select, TextInput, fieldError, formatDate } from '../../components/ui.tsx';
import { ConfirmButton } from '../../components/admin/dialog.tsx';
import { SectionHeader } from '../../components/admin/common.tsx';

interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: string;
}
interface Invitation {
  id: string;
  email: string;
  role: Role;
  status: string;
  expiresAt: string;
  createdAt: string;
  link: string;
}
interface PageOf<T> {
  items: T[];
  total: number;
}
const LIMIT = 50;

/** Members (change role, remove) and invitations (invite with a copyable link, cancel). */
export default function MembersSection() {
  const me = useMe();
  const qc = useQueryClient();
  const [offset, setOffset] = useState(0);
  const members = useQuery({
    queryKey: ['admin', 'members', offset],
    queryFn: () => api.get<PageOf<Member>>('/api/org/members', { limit: LIMIT, offset }),
  });
  const invitations = useQuery({
    queryKey: ['admin', 'invitations'],
    queryFn: () => api.get<PageOf<Invitation>>('/api/org/invitations', { limit: 100, offset: 0 }),
  });
  const role = useMutation({
    mutationFn: (v: { userId: string; role: Role }) => api.patch(`/api/org/members/${encodeURIComponent(v.userId)}`, { role: v.role }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['admin', 'members'] }),
  });
  const [email, setEmail] = useState('');
  const [inviteRole, setInviteRole] = useState<Role>('operator');
  const [created, setCreated] = useState<Invitation | null>(null);
  const invite = useMutation({
    mutationFn: () => api.post<Invitation>('/api/org/invitations', { email, role: inviteRole }),
    onSuccess: (i) => {
      setCreated(i);
      setEmail('');
      void qc.invalidateQueries({ queryKey: ['admin', 'invitations'] });
    },
  });

  return (
    <>
      <SectionHeader title="Members">
        Everyone in this organisation and their role: viewer (read), operator (run and approve) or admin.
      </SectionHeader>
      <ErrorBanner error={members.error ?? role.error} />
      {members.isLoading ? (
        <Loading />
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Role</th>
                <th>Joined</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data?.items.map((m) => (
                <tr key={m.userId}>
                  <td>
                    {m.name} {m.userId === me.data?.userId ? <Badge>you</Badge> : null}
                  </td>
                  <td>{m.email}</td>
                  <td>
                    <select
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      disabled={role.isPending}
                      onChange={(e) => role.mutate({ userId: m.userId, role: e.target.value as Role })}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{formatDate(m.joinedAt)}</td>
                  <td className="actions-cell">
                    {m.userId !== me.data?.userId ? (
                      <ConfirmButton
                        small
                        label="Remove"
                        title={`Remove ${m.email}?`}
                        message="They lose access to this organisation at once. Their past actions stay in the audit log."
                        onConfirm={async () => {
                          await api.del(`/api/org/members/${encodeURIComponent(m.userId)}`);
                          await qc.invalidateQueries({ queryKey: ['admin', 'members'] });
                        }}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {members.data ? <Pager offset={offset} limit={LIMIT} total={members.data.total} onChange={setOffset} /> : null}

      <SectionHeader title="Invitations">Invite someone by email; send them the link (it expires).</SectionHeader>
      <form
        className="card admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate();
        }}
      >
        <div className="row">
          <TextInput
            label="Email"
            type="email"
            required
            value={email}
            error={fieldError(invite.error, 'email')}
            onChange={(e) => setEmail(e.target.value)}
          />
          <Select
            label="Role"
            value={inviteRole}
            error={fieldError(invite.error, 'role')}
            onChange={(e) => setInviteRole(e.target.value as Role)}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        </div>
        <ErrorBanner error={invite.error} fields={['email', 'role']} />
        <Button type="submit" variant="primary" busy={invite.isPending}>
          Invite
        </Button>
        {created ? (
          <div className="banner banner-success" role="status">
            Invitation for {created.email} created. Send them this link: <code className="secret">{created.link}</code>{' '}
            <Button onClick={() => void navigator.clipboard?.writeText(created.link).catch(() => undefined)}>Copy link</Button>
          </div>
        ) : null}
      </form>
      <ErrorBanner error={invitations.error} />
      {invitations.data?.items.length ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Email</th>
                <th>Role</th>
                <th>Status</th>
                <th>Expires</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.data.items.map((i) => (
                <tr key={i.id}>
                  <td>{i.email}</td>
                  <td>{i.role}</td>
                  <td>
                    <Badge tone={i.status === 'pending' ? 'info' : 'neutral'}>{i.status}</Badge>
                  </td>
                  <td>{formatDate(i.expiresAt)}</td>
                  <td className="actions-cell">
                    {i.status === 'pending' ? (
                      <ConfirmButton
                        small
                        label="Cancel"
                        confirmLabel="Cancel invitation"
                        title={`Cancel the invitation for ${i.email}?`}
                        message="The link stops working."
                        onConfirm={async () => {
                          await api.del(`/api/org/invitations/${i.id}`);
                          await qc.invalidateQueries({ queryKey: ['admin', 'invitations'] });
                        }}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : invitations.isLoading ? null : (
        <Empty title="No invitations" />
      )}
    </>
  );
}
