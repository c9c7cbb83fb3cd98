/** An export refused or failed for a reason the caller can act on (bad options, a non-empty target…). */
export class ExportError extends Error {}
