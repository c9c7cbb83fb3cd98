export interface PromptKeyVersions {
  key: string;
  versions: number[];
}

/** One select per prompt key; "newest" sends nothing, so the run takes the newest version when it starts. */
export function PromptVersionFields({ keys }: { keys: PromptKeyVersions[] }) {
  return (
    <fieldset className="wide panel" style={{ margin: 0 }}>
      <legend>Prompt versions</legend>
      <div style={{ display: "grid", gap: 12, gridTemplateColumns: "repeat(3, minmax(0, 1fr))" }}>
        {keys.map(({ key, versions }) => (
          <label key={key} style={{ display: "grid", gap: 4 }}>
            {key}
            <select name={`prompt:${key}`} defaultValue="">
              <option value="">newest (v{Math.max(...versions)})</option>
              {[...versions].reverse().map((version) => (
                <option key={version} value={version}>
                  v{version}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
