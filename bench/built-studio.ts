// The built studio as the browser benches meet it: `finemed serve --no-demo` on a free port against a bench
// database, its first admin from the environment, and Debian's Chromium signed in as that admin.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { chromium, type Browser, type BrowserContext } from "@playwright/test";

export interface BenchAdmin {
  email: string;
  password: string;
}

export interface BuiltStudio {
  base: string;
  process: ChildProcess;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

export function launchBenchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}

/** Starts the studio (building it first if no build exists: up to 15 minutes on this machine). */
export async function startBuiltStudio(databaseUrl: string, home: string, admin: BenchAdmin): Promise<BuiltStudio> {
  const port = await freePort();
  const studio = spawn(process.execPath, ["bin/finemed.js", "serve", "--no-demo", "--port", String(port)], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      FINEMED_HOME: home,
      FINEMED_ADMIN_EMAIL: admin.email,
      FINEMED_ADMIN_PASSWORD: admin.password,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/sign-in`, 900_000);
  return { base, process: studio };
}

export async function signedInContext(
  browser: Browser,
  studio: BuiltStudio,
  admin: BenchAdmin,
  viewport: { width: number; height: number },
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: studio.base, viewport });
  const signIn = await context.request.post("/api/auth/sign-in/email", { data: admin, headers: { origin: studio.base } });
  if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()} ${await signIn.text()}`);
  return context;
}
