import Markdown from "react-markdown";

// Model outputs and source texts are untrusted: skipHtml drops any raw HTML they contain instead of
// rendering it, and no rehype-raw is ever added, so only markdown's own elements reach the page.
export function MarkdownText({ children }: { children: string }) {
  return (
    <div className="markdown">
      <Markdown skipHtml>{children}</Markdown>
    </div>
  );
}
