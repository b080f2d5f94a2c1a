import { PageHeader } from '../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function HomePage() {
  return <PageHeader title="Home">Coming soon.</PageHeader>;
}
