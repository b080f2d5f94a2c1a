import { PageHeader } from '../../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function ListPage() {
  return <PageHeader title="List">Coming soon.</PageHeader>;
}
