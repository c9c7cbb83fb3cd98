import type { ExportManifest } from "@/lib/export";
import { formatCount } from "@/components/runs/run-status";
import { formatBytes } from "@/components/datasets/version-format";

/** The manifest's files, each downloadable; sizes and checksums are the manifest's own. */
export function ExportFiles({ versionId, manifest, card }: { versionId: string; manifest: ExportManifest; card: string }) {
  const href = (path: string) => `/api/datasets/${versionId}/export/file?path=${encodeURIComponent(path)}`;
  return (
    <>
      <table className="grid compact" aria-label="Exported files">
        <thead>
          <tr>
            <th>File</th>
            <th className="num">Rows</th>
            <th className="num">Size</th>
            <th>sha256</th>
          </tr>
        </thead>
        <tbody>
          {manifest.files.map((file) => (
            <tr key={file.path}>
              <td>
                <a href={href(file.path)} download>
                  {file.path}
                </a>
              </td>
              <td className="num">{file.rows === null ? "—" : formatCount(file.rows)}</td>
              <td className="num" title={`${file.bytes} bytes`}>
                {formatBytes(file.bytes)}
              </td>
              <td>
                <code className="hash">{file.sha256}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href={href("manifest.json")} download>
          Download manifest.json
        </a>
      </p>
      <details>
        <summary>Manifest</summary>
        <pre className="export-text" aria-label="Manifest">
          {JSON.stringify(manifest, null, 2)}
        </pre>
      </details>
      <details>
        <summary>Dataset card (README.md)</summary>
        <pre className="export-text" aria-label="Dataset card">
          {card}
        </pre>
      </details>
    </>
  );
}
