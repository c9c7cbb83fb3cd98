import { defineConfig } from "@playwright/test";
import { adminStorageState } from "./e2e/support/e2e-admin";

const port = Number(process.env.E2E_PORT ?? 3100);

// Debian's Chromium, never a downloaded browser build; the flags keep it off the network.
export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  // Signs the e2e admin in once the studio is up; every spec starts with that session (storageState).
  globalSetup: "./e2e/support/sign-in-admin.ts",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    storageState: adminStorageState(port),
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `node --import tsx e2e/support/start-studio.ts --port ${port}`,
    url: `http://127.0.0.1:${port}/sign-in`,
    // The production build runs first; on a loaded 2-core machine it has taken over 4 minutes.
    timeout: 600_000,
    reuseExistingServer: false,
    // start-studio stops the studio, then drops its database and home.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
