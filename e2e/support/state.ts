import { join } from "node:path";
import { tmpdir } from "node:os";

/** What start-studio created, so teardown can remove it. */
export const E2E_STATE_FILE = join(tmpdir(), "finemed-e2e-state.json");

export interface E2eState {
  adminUrl?: string;
  databaseUrl?: string;
  home: string;
}
