import { requirePageActor, currentIdentity } from "@/app/page-actor";
import { ChangePasswordForm } from "./change-password-form";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const actor = await requirePageActor();
  const identity = await currentIdentity();
  return (
    <>
      <h1>Account</h1>
      <p className="lead">
        Signed in as <strong>{actor.name}</strong> with the <strong>{actor.role}</strong> role. An admin changes roles in Settings → Users.
      </p>
      {identity?.mustChangePassword ? (
        <p className="confirm" data-testid="must-change-password">
          You signed in with a one-time password. Choose your own now.
        </p>
      ) : null}
      <ChangePasswordForm />
    </>
  );
}
