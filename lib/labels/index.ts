export { relabel, type RelabelInput, type RelabelResult } from "./relabel";
export { bulkRelabel, bulkRelabelBreakdown, previewBulkRelabel, type BulkRelabelPreview, type BulkRelabelResult } from "./bulk-relabel";
export type { BulkSelection } from "./bulk-selection";
export { undoLabelChange, type UndoResult } from "./undo-label-change";
export { undoBulkOperation, type UndoBulkResult } from "./undo-bulk-operation";
export { labelHistory, type LabelChangeView, type CuratedLabelView } from "./label-history";
export { listBulkOperations, type BulkOperationView } from "./bulk-operations";
export { reviewQueue, type ReviewItem, type ReviewPage, type ReviewQueueQuery } from "./review-queue";
export { LabelConflictError, LabelChangeRefused } from "./label-errors";
