export { createMapSelection, SelectionProjectionNotFoundError, type CreatedMapSelection } from "./create-map-selection";
export { readMapSelection, type MapSelectionSummary } from "./read-map-selection";
export {
  LEGEND_CODE_COLUMNS,
  MAX_POLYGON_VERTICES,
  mapSelectionRequestSchema,
  type LegendCodeColumn,
  type MapSelectionRequest,
} from "./map-selection-request";
