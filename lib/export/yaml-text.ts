import { stringify, type Tags } from "yaml";

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

/**
 * PyYAML (YAML 1.1, what LLaMA-Factory and TRL load configs with) reads "3e-5" as a string: a small
 * float is written with a mantissa dot and a signed exponent ("3.0e-5"), which both YAML versions read
 * as a float.
 */
const pyYamlFloat = {
  identify: (value: unknown) => typeof value === "number" && !Number.isInteger(value) && Math.abs(value) < 1e-3,
  default: true,
  tag: "tag:yaml.org,2002:float",
  test: /^$/,
  resolve: (text: string) => Number(text),
  stringify: ({ value }: { value: unknown }) => {
    const [mantissa, exponent] = Number(value).toExponential().split("e");
    return `${mantissa!.includes(".") ? mantissa : `${mantissa}.0`}e${exponent}`;
  },
};

/** A trainer config: header comments, then the mapping, written by the `yaml` package. */
export function yamlDocument(comments: readonly string[], mapping: { [key: string]: YamlValue }): string {
  const body = stringify(mapping, { customTags: (tags: Tags) => [pyYamlFloat, ...tags], lineWidth: 0 });
  return `${comments.map((comment) => `# ${comment}`).join("\n")}\n${body}`;
}
