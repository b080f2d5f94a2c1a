import { PageHeader } from '../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function SetupPage() {
  return <PageHeader title="Setup">Coming soon.</PageHeader>;
}
