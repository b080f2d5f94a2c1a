import { PageHeader } from '../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function SignInPage() {
  return <PageHeader title="SignIn">Coming soon.</PageHeader>;
}
