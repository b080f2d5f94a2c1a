import { PageHeader } from '../../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function RunPage() {
  return <PageHeader title="Run">Coming soon.</PageHeader>;
}
