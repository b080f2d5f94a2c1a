import { lazy, Suspense, type ComponentType } from 'react';
import { createBrowserRouter } from 'react-router';
import { Layout } from './components/layout.tsx';
import { Loading } from './components/ui.tsx';
import { RouteError } from './routes/route-error.tsx';

/** Each page is its own chunk, loaded when first visited. */
function page(load: () => Promise<{ default: ComponentType }>) {
  const Page = lazy(load);
  return (
    <Suspense fallback={<Loading />}>
      <Page />
    </Suspense>
  );
}

/** Every page of the portal. Signed-out pages sit outside the shell. */
export const router = createBrowserRouter([
  { path: '/sign-in', element: page(() => import('./routes/sign-in.tsx')), errorElement: <RouteError /> },
  { path: '/sign-up', element: page(() => import('./routes/sign-up.tsx')), errorElement: <RouteError /> },
  { path: '/invitations/:id', element: page(() => import('./routes/invitation.tsx')), errorElement: <RouteError /> },
  { path: '/setup', element: page(() => import('./routes/setup.tsx')), errorElement: <RouteError /> },
  {
    path: '/',
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: page(() => import('./routes/home.tsx')) },
      // One route for both, so the open conversation stays mounted when /chat becomes /chat/:id.
      { path: 'chat/:threadId?', element: page(() => import('./routes/chat.tsx')) },
      { path: 'approvals', element: page(() => import('./routes/approvals.tsx')) },
      { path: 'activity', element: page(() => import('./routes/activity.tsx')) },
      { path: 'tools/:name?', element: page(() => import('./routes/tools.tsx')) },
      { path: 'workflows', element: page(() => import('./routes/workflows/list.tsx')) },
      { path: 'workflows/templates', element: page(() => import('./routes/workflows/templates.tsx')) },
      { path: 'workflows/new', element: page(() => import('./routes/workflows/designer.tsx')) },
      { path: 'workflows/:id', element: page(() => import('./routes/workflows/designer.tsx')) },
      { path: 'workflows/runs/:runId', element: page(() => import('./routes/workflows/run.tsx')) },
      { path: 'advisor', element: page(() => import('./routes/advisor.tsx')) },
      { path: 'advisor/findings/:id', element: page(() => import('./routes/advisor.tsx')) },
      { path: 'search', element: page(() => import('./routes/search.tsx')) },
      { path: 'search/documents/:id', element: page(() => import('./routes/search.tsx')) },
      { path: 'admin', element: page(() => import('./routes/admin/index.tsx')) },
      { path: 'admin/:section', element: page(() => import('./routes/admin/index.tsx')) },
      { path: '*', element: page(() => import('./routes/not-found.tsx')) },
    ],
  },
]);
