/** Size limits are set in UTF-8 bytes because that is what the database and the model budget pay for. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
