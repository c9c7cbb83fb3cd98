// Playwright's global setup (after the webServer is up): signs the e2e admin in once through the
// studio's own sign-in endpoint and saves the session cookie, so every spec starts signed in.
import { request, type FullConfig } from "@playwright/test";
import { adminStorageState, E2E_ADMIN } from "./e2e-admin";

export default async function signInAdmin(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0]!.use.baseURL!;
  const context = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const response = await context.post("/api/auth/sign-in/email", { data: E2E_ADMIN });
  if (!response.ok()) throw new Error(`e2e admin sign-in failed: ${response.status()} ${await response.text()}`);
  await context.storageState({ path: adminStorageState(new URL(baseURL).port) });
  await context.dispose();
}
