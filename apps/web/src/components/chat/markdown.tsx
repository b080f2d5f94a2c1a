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

/** When a tool card already shows the rows as a rich table, the text's copy of them is left out. */
const withoutTables: Components = { ...components, table: () => null };

/**
 * Markdown from the model, GitHub-flavoured. Raw HTML is never rendered (`skipHtml`, and
 * react-markdown builds React elements, never innerHTML), and only http(s)/mailto links survive
 * react-markdown's default URL transform — safe by construction.
 */
export const MarkdownText = memo(function MarkdownText({ text, omitTables = false }: { text: string; omitTables?: boolean }) {
  return (
    <div className="md">
      <Markdown remarkPlugins={[remarkGfm]} skipHtml components={omitTables ? withoutTables : components}>
        {text}
      </Markdown>
    </div>
  );
});
