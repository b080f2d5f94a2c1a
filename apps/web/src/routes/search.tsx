import { PageHeader } from '../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function SearchPage() {
  return <PageHeader title="Search">Coming soon.</PageHeader>;
}
