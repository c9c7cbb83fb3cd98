/** The fragment id of one prompt version on /prompts; keys hold spaces and colons, which ids may not. */
export function promptAnchor(key: string, version?: number): string {
  const slug = key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return version === undefined ? `prompt-${slug}` : `prompt-${slug}-v${version}`;
}
