import { tmpdir } from "node:os";
import { join } from "node:path";

// The e2e studio's first admin comes from these (FINEMED_ADMIN_EMAIL / FINEMED_ADMIN_PASSWORD).
export const E2E_ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password" } as const;

/** The signed-in admin's cookies, saved once by the global setup, used by every spec by default. */
export function adminStorageState(port: number | string): string {
  return join(tmpdir(), `finemed-e2e-admin-${port}.json`);
}
