import { PageHeader } from '../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function InvitationPage() {
  return <PageHeader title="Invitation">Coming soon.</PageHeader>;
}
