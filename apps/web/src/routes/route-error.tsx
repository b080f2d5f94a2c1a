import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

/** Shown when a page throws or fails to load: a message and a way back, never a blank screen. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Something went wrong.';
  return (
    <main className="center-card">
      <h1>Something went wrong</h1>
      <p role="alert">{message}</p>
      <Link to="/">Back to home</Link>
    </main>
  );
}
