import { memo } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
  table: ({ children }) => (
    <div className="table-wrap md-table">
      <table>{children}</table>
    </div>
  ),
};

/**
 * Markdown from the model, GitHub-flavoured. Raw HTML is never rendered (`skipHtml`, and
 * react-markdown builds React elements, never innerHTML), and only http(s)/mailto links survive
 * react-markdown's default URL transform — safe by construction.
 */
export const MarkdownText = memo(function MarkdownText({ text }: { text: string }) {
  return (
    <div className="md">
      <Markdown remarkPlugins={[remarkGfm]} skipHtml components={components}>
        {text}
      </Markdown>
    </div>
  );
});
