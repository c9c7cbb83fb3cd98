/** A neighbour or retrieval request that cannot be answered as asked (HTTP 400/404, 409 while the worker has not indexed the space; CLI exit 1). */
export class NeighbourQueryError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
  ) {
    super(message);
  }
}
