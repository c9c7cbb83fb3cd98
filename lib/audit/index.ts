export { recordAuditEvent, type AuditWriter } from "./record-audit-event";
export { AUDIT_VIA, type AuditVia, type AuditEvent, type AuditEventInput, type AuditSubject } from "./audit-event";
export { maskSecrets } from "./mask-secrets";
export { listAuditEvents, auditVocabulary, auditQuerySchema, type AuditQuery, type AuditPage } from "./list-audit-events";
export {
  beginAuditEvent,
  completeAuditEvent,
  markAuditCommitted,
  runAudited,
  withdrawAuditEvent,
  type AuditIntentRef,
} from "./write-ahead-audit";
export { auditState, type AuditState } from "./audit-state";
