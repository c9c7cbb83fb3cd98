import { createHash } from "node:crypto";

/**
 * Identity of a text for deduplication within a corpus. NFC first so that the same
 * text typed with precomposed or combining accents counts as one.
 */
export function contentHash(text: string): string {
  return createHash("sha256").update(text.normalize("NFC"), "utf8").digest("hex");
}
