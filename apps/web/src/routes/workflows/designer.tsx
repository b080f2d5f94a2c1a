import { PageHeader } from '../../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function DesignerPage() {
  return <PageHeader title="Designer">Coming soon.</PageHeader>;
}
