import { PageHeader } from '../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function ActivityPage() {
  return <PageHeader title="Activity">Coming soon.</PageHeader>;
}
