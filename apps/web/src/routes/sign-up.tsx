import { PageHeader } from '../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function SignUpPage() {
  return <PageHeader title="SignUp">Coming soon.</PageHeader>;
}
