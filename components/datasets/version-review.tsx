"use client";

import { useRouter } from "next/navigation";
import { useRole } from "@/components/role-context";
import { roleAllows } from "@/lib/auth/roles";
import { useState } from "react";
import type { VersionState } from "@/lib/datasets";
import { sendJson } from "@/components/samples/send-json";
import { ProblemAlert } from "@/components/problem-alert";

type Action = "submit" | "approve" | "reject";

/** Whether the signed-in approver created or submitted this version, and who else could approve it. */
export interface OwnWork {
  ownWork: boolean;
  otherApprovers: number;
}

/**
 * Submit, approve and reject. The buttons follow the state, but the server decides role and state
 * and its reason (403 not an approver, 409 wrong state) is shown as it comes.
 */
export function VersionReview({ versionId, state, ownWork = null }: { versionId: string; state: VersionState; ownWork?: OwnWork | null }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  // Approval is final (an approved version never changes), so it takes a second, deliberate click.
  const [confirming, setConfirming] = useState(false);
  const needsOtherApprover = ownWork !== null && ownWork.ownWork && ownWork.otherApprovers > 0;
  const approvingOwnWork = ownWork !== null && ownWork.ownWork && ownWork.otherApprovers === 0;
  const [problem, setProblem] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  // Offered only to the roles the server accepts: submit is a curator's, a decision an approver's.
  const role = useRole();

  async function act(action: Action) {
    setBusy(true);
    setProblem(null);
    const answer = await sendJson(`/api/datasets/${versionId}/${action}`, "POST", action === "reject" ? { reason } : undefined);
    setBusy(false);
    setConfirming(false);
    if (!answer.ok) setProblem(answer.error);
    else {
      setReason("");
      router.refresh();
    }
  }

  return (
    <div className="review-actions">
      {state === "draft" && roleAllows(role, "curator") ? (
        <button type="button" onClick={() => act("submit")} disabled={busy}>
          Submit for review
        </button>
      ) : null}
      {state === "in_review" && !roleAllows(role, "approver") ? (
        <span className="muted" data-testid="needs-role">
          Approving or rejecting needs the approver role.
        </span>
      ) : null}
      {state === "in_review" && roleAllows(role, "approver") ? (
        <>
          {needsOtherApprover ? (
            <span className="muted" data-testid="four-eyes">
              You created or submitted this version: another approver must approve it.
            </span>
          ) : confirming ? (
            <div className="confirm" role="alertdialog" aria-label="Confirm approval">
              <p>Approve this version? An approved version never changes.</p>
              {approvingOwnWork ? (
                <p data-testid="own-work">
                  <strong>You are approving your own work:</strong> you created or submitted this version, and no other approver exists in
                  this studio.
                </p>
              ) : null}
              <div className="row-actions">
                <button type="button" onClick={() => act("approve")} disabled={busy}>
                  Confirm approval
                </button>
                <button type="button" className="secondary" onClick={() => setConfirming(false)} disabled={busy}>
                  Cancel
                </button>
              </div>
            </div>
          ) : (
            <button type="button" onClick={() => setConfirming(true)} disabled={busy}>
              Approve
            </button>
          )}
          <label>
            Rejection reason
            <input type="text" value={reason} onChange={(event) => setReason(event.target.value)} maxLength={2000} />
          </label>
          <button type="button" className="secondary" onClick={() => act("reject")} disabled={busy || reason.trim() === ""}>
            Reject
          </button>
        </>
      ) : null}
      {state === "approved" ? <span className="muted">Approved: this version never changes.</span> : null}
      {state === "rejected" ? <span className="muted">Rejected: create a new version to try again.</span> : null}
      <ProblemAlert problem={problem} />
    </div>
  );
}
