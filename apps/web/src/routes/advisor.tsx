import { PageHeader } from '../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function AdvisorPage() {
  return <PageHeader title="Advisor">Coming soon.</PageHeader>;
}
