import { PageHeader } from '../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function ToolsPage() {
  return <PageHeader title="Tools">Coming soon.</PageHeader>;
}
