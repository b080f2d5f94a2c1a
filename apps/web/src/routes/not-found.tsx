import { Link } from 'react-router';
import { Empty } from '../components/ui.tsx';

export default function NotFound() {
  return (
    <Empty title="Page not found">
      <Link to="/">Back to home</Link>
    </Empty>
  );
}
