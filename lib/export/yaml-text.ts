export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

// PyYAML (YAML 1.1) reads "3e-5" as a string: exponents need a mantissa with a dot.
function yamlNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 1e-3) return String(value);
  const [mantissa, exponent] = value.toExponential().split("e");
  return `${mantissa!.includes(".") ? mantissa : `${mantissa}.0`}e${exponent}`;
}

function scalar(value: string | number | boolean | null): string {
  if (value === null) return "null";
  if (typeof value === "number") return yamlNumber(value);
  if (typeof value === "boolean") return String(value);
  // A JSON string is a valid YAML double-quoted scalar; plain words stay unquoted for readability.
  return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(value) ? value : JSON.stringify(value);
}

function lines(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const inner = lines(item, `${indent}  `);
      if (item !== null && typeof item === "object") return [`${indent}- ${inner[0]!.trimStart()}`, ...inner.slice(1)];
      return [`${indent}- ${scalar(item as string | number | boolean | null)}`];
    });
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) =>
      item !== null && typeof item === "object" ? [`${indent}${key}:`, ...lines(item, `${indent}  `)] : [`${indent}${key}: ${scalar(item)}`],
    );
  }
  return [`${indent}${scalar(value)}`];
}

/** A small, deterministic YAML writer for trainer configs: header comments, then the mapping. */
export function yamlDocument(comments: readonly string[], mapping: { [key: string]: YamlValue }): string {
  return `${[...comments.map((c) => `# ${c}`), ...lines(mapping, "")].join("\n")}\n`;
}
