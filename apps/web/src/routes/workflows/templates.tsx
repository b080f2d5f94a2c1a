import { PageHeader } from '../../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function TemplatesPage() {
  return <PageHeader title="Templates">Coming soon.</PageHeader>;
}
