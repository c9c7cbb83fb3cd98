export * from "./point-payload";
export { readMapPoints, ProjectionNotFoundError, type MapPointsRequest } from "./read-map-points";
export { parseMapPointsParams } from "./map-points-params";
