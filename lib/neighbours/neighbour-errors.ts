/** A neighbour or retrieval request that cannot be answered as asked (HTTP 404/400, CLI exit 1). */
export class NeighbourQueryError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404,
  ) {
    super(message);
  }
}
