/** A dataset-version operation refused for a reason the caller can act on (the CLI prints it, exit 1). */
export class DatasetError extends Error {}

export class DatasetVersionNotFound extends DatasetError {
  constructor(readonly versionId: string) {
    super(`no dataset version ${versionId}`);
  }
}

/** The version is not in the state the operation needs (approving a draft, exporting a rejected one…). */
export class DatasetStateError extends DatasetError {}

/** The actor lacks the approver role. */
export class ApprovalRefused extends DatasetError {}
