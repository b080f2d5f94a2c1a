import { PageHeader } from '../components/ui.tsx';

/** Placeholder: this page is being built. */
export default function ChatPage() {
  return <PageHeader title="Chat">Coming soon.</PageHeader>;
}
