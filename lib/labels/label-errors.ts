/** Someone changed the sample's label after the curator loaded it; nothing was written. */
export class LabelConflictError extends Error {
  constructor(
    readonly instructionId: number,
    readonly expectedVersion: number,
    readonly currentVersion: number,
    readonly changedBy: string | null,
    readonly changedAt: string | null,
  ) {
    const who = changedBy ? `${changedBy} at ${changedAt}` : "someone else";
    super(
      `sample ${instructionId} was relabelled by ${who} (it is now at version ${currentVersion}; you saw version ${expectedVersion}). ` +
        `Reload it and apply your change again if it still holds.`,
    );
    this.name = "LabelConflictError";
  }
}

/** The sample, change or bulk operation named does not exist, or cannot be undone as asked. */
export class LabelChangeRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LabelChangeRefused";
  }
}
