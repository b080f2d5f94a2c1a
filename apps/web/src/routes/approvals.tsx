import { PageHeader } from '../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function ApprovalsPage() {
  return <PageHeader title="Approvals">Coming soon.</PageHeader>;
}
