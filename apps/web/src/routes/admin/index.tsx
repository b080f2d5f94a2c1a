import { PageHeader } from '../../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function AdminPage() {
  return <PageHeader title="Admin">Coming soon.</PageHeader>;
}
