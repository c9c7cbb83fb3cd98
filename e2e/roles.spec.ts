import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";

// Sign-in, roles and the audit log (issue 7). The admin (the default storageState) creates one user
// per role; each signs in through the sign-in page; every action their role forbids is refused by
// the server when called directly over HTTP with their session, not only hidden in the UI.

const PASSWORD = "role-test-password";
const USERS = { viewer: "viewer@roles.test", curator: "curator@roles.test", approver: "approver@roles.test" } as const;
type TestRole = keyof typeof USERS;
const NOBODY = "00000000-0000-4000-8000-000000000000";

async function signedIn(browser: Browser, role: TestRole): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/samples");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsamples/);
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(USERS[role]);
  await form.getByLabel("Password").fill(PASSWORD);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/samples/);
  await expect(page.getByTestId("current-user")).toHaveText(USERS[role]);
  await expect(page.getByTestId("current-role")).toHaveText(role);
  return { context, page };
}

async function completedDemoRun(request: APIRequestContext): Promise<string> {
  let runId: string | undefined;
  await expect
    .poll(
      async () => {
        const body = (await (await request.get("/api/runs")).json()) as { runs: { runId: string; status: string }[] };
        runId = body.runs.find((run) => run.status === "completed")?.runId;
        return runId !== undefined;
      },
      { timeout: 120_000 },
    )
    .toBe(true);
  return runId!;
}

/** The forbidden calls of a role, each as the HTTP request a script would send with the session cookie. */
const FORBIDDEN: Record<
  TestRole,
  { what: string; call: (request: APIRequestContext, versionId: string) => ReturnType<APIRequestContext["fetch"]> }[]
> = {
  viewer: [
    {
      what: "import",
      call: (r) =>
        r.post("/api/imports?corpus=viewer-upload&fileName=x.jsonl", {
          data: '{"text":"a"}\n',
          headers: { "content-type": "application/x-ndjson" },
        }),
    },
    { what: "start a run", call: (r) => r.post("/api/runs", { data: {} }) },
    {
      what: "relabel",
      call: (r) =>
        r.post("/api/labels", { data: { instructionId: 1, expectedVersion: 0, to: { primary: "Surgery", secondary: null }, reason: "x" } }),
    },
    {
      what: "bulk relabel",
      call: (r) =>
        r.post("/api/labels/bulk", {
          data: { mode: "apply", selection: { ids: [1] }, to: { primary: "Surgery", secondary: null }, reason: "x" },
        }),
    },
    { what: "create a dataset version", call: (r) => r.post("/api/datasets", { data: { name: "x", selection: { runIds: [NOBODY] } } }) },
    { what: "pause a run", call: (r) => r.post(`/api/runs/${NOBODY}/pause`) },
  ],
  curator: [
    { what: "approve a dataset version", call: (r, id) => r.post(`/api/datasets/${id}/approve`) },
    { what: "reject a dataset version", call: (r, id) => r.post(`/api/datasets/${id}/reject`, { data: { reason: "no" } }) },
    {
      what: "edit the taxonomy",
      call: (r) => r.post("/api/taxonomy/departments", { data: { level: "primary", name: "Curator Medicine" } }),
    },
    { what: "list users", call: (r) => r.get("/api/users") },
    {
      what: "create a user",
      call: (r) => r.post("/api/users", { data: { email: "x@roles.test", role: "admin", password: "whatever-123" } }),
    },
    { what: "start training", call: (r, id) => r.post("/api/training", { data: { versionId: id } }) },
    { what: "read the audit log", call: (r) => r.get("/api/audit") },
  ],
  approver: [
    {
      what: "edit the taxonomy",
      call: (r) => r.post("/api/taxonomy/departments", { data: { level: "primary", name: "Approver Medicine" } }),
    },
    { what: "merge departments", call: (r) => r.post("/api/taxonomy/merge", { data: { fromId: 1, intoId: 2, reason: "x" } }) },
    {
      what: "create a user",
      call: (r) => r.post("/api/users", { data: { email: "y@roles.test", role: "admin", password: "whatever-123" } }),
    },
    { what: "create a service token", call: (r) => r.post("/api/tokens", { data: { name: "sneaky", role: "admin" } }) },
  ],
};

test.describe.configure({ mode: "serial" });

let versionId = "";

test("the admin creates a user per role in Settings", async ({ page }) => {
  await page.goto("/settings");
  await expect(page.getByTestId("current-role")).toHaveText("admin");
  for (const [role, email] of Object.entries(USERS)) {
    const form = page.getByRole("form", { name: "New user" });
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Role").selectOption(role);
    await form.getByLabel("Initial password").fill(PASSWORD);
    await form.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByTestId("users").getByRole("row", { name: new RegExp(email) })).toBeVisible();
  }
  // Created here with the admin's initial password; the test users keep it (no forced change for them).
  const users = (await (await page.request.get("/api/users")).json()) as { users: { id: string; email: string }[] };
  for (const user of users.users.filter((u) => u.email.endsWith("@roles.test"))) {
    expect((await page.request.patch(`/api/users/${user.id}`, { data: { password: PASSWORD } })).status()).toBe(200);
  }
});

test("without a session: pages go to /sign-in, the API answers 401", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/datasets");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  expect((await page.request.get("/api/runs")).status()).toBe(401);
  expect((await page.request.post("/api/labels", { data: {} })).status()).toBe(401);
  // A wrong password is refused.
  await page.getByLabel("Email").fill(USERS.viewer);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Wrong email or password.");
  await context.close();
});

test("a viewer reads but every change is refused by the server", async ({ browser }) => {
  const { context, page } = await signedIn(browser, "viewer");
  await expect(page.getByRole("navigation", { name: "Studio sections" }).getByRole("link", { name: "Audit" })).toHaveCount(0);
  expect((await page.request.get("/api/runs")).status()).toBe(200);
  expect((await page.request.get("/api/samples")).status()).toBe(200);
  for (const forbidden of FORBIDDEN.viewer) {
    const response = await forbidden.call(page.request, NOBODY);
    expect(response.status(), `viewer: ${forbidden.what}`).toBe(403);
  }
  await page.goto("/audit");
  await expect(page.getByTestId("forbidden")).toContainText("needs the approver role");
  await page.goto("/settings");
  await expect(page.getByRole("form", { name: "New user" })).toHaveCount(0);
  // The UI does not offer what the server refuses.
  await page.goto("/corpora");
  await expect(page.getByTestId("needs-role")).toContainText("Importing needs the curator role.");
  await page.goto("/datasets");
  await expect(page.getByRole("form", { name: "New version" })).toHaveCount(0);
  await expect(page.getByTestId("needs-role")).toContainText("needs the curator role");
  await context.close();
});

test("a curator creates and submits a version but cannot approve it, nor touch the taxonomy, users or training", async ({ browser }) => {
  const { context, page } = await signedIn(browser, "curator");
  const runId = await completedDemoRun(page.request);
  const created = await page.request.post("/api/datasets", { data: { name: "roles e2e", selection: { runIds: [runId] } } });
  expect(created.status()).toBe(201);
  versionId = ((await created.json()) as { id: string }).id;
  expect((await page.request.post(`/api/datasets/${versionId}/submit`)).status()).toBe(200);
  for (const forbidden of FORBIDDEN.curator) {
    const response = await forbidden.call(page.request, versionId);
    expect(response.status(), `curator: ${forbidden.what}`).toBe(403);
  }
  // Relabel is a curator's: through the gate (a bad body is a 400, never a 403).
  expect((await page.request.post("/api/labels", { data: {} })).status()).toBe(400);
  // The version page offers no Approve to a curator; the taxonomy editor offers no edits.
  await page.goto(`/datasets/${versionId}`);
  await expect(page.getByTestId("version-state")).toHaveText("in review");
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(page.getByTestId("needs-role")).toContainText("needs the approver role");
  // CSRF: the same session from another origin is refused.
  const crossSite = await page.request.post("/api/labels", { data: {}, headers: { origin: "http://evil.example" } });
  expect(crossSite.status()).toBe(403);
  expect(((await crossSite.json()) as { error: string }).error).toContain("cross-site");
  await context.close();
});

test("an approver approves the version, reads the audit log, and cannot edit the taxonomy or users", async ({ browser }) => {
  const { context, page } = await signedIn(browser, "approver");
  await expect(page.getByRole("navigation", { name: "Studio sections" }).getByRole("link", { name: "Audit" })).toBeVisible();
  for (const forbidden of FORBIDDEN.approver) {
    const response = await forbidden.call(page.request, versionId);
    expect(response.status(), `approver: ${forbidden.what}`).toBe(403);
  }
  await page.goto("/taxonomy");
  await expect(page.getByTestId("needs-role").first()).toContainText("needs the admin role");
  // Approved in the UI, by an approver.
  await page.goto(`/datasets/${versionId}`);
  await page.getByRole("button", { name: "Approve" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Confirm approval" });
  await expect(confirm).toContainText("An approved version never changes");
  // The curator made this version, so it is not the approver's own work.
  await expect(confirm.getByTestId("own-work")).toHaveCount(0);
  await confirm.getByRole("button", { name: "Confirm approval" }).click();
  await expect(page.getByTestId("version-state")).toHaveText("approved");
  const approved = (await (await page.request.get(`/api/datasets/${versionId}`)).json()) as { state: string; decidedBy: string };
  expect(approved).toMatchObject({ state: "approved", decidedBy: USERS.approver });

  await page.goto(`/audit?subjectId=${versionId}`);
  const events = page.getByTestId("audit-event");
  await expect(events).toHaveCount(3);
  await expect(events.nth(0)).toContainText("datasets.approve");
  await expect(events.nth(0)).toContainText(USERS.approver);
  await expect(events.nth(1)).toContainText("datasets.submit");
  await expect(events.nth(2)).toContainText("datasets.create");
  await expect(events.nth(2)).toContainText(USERS.curator);
  // Filtering by actor.
  await page.goto(`/audit?actor=${encodeURIComponent(USERS.curator)}`);
  await expect(page.getByTestId("audit-event").first()).toContainText(USERS.curator);
  await expect(page.getByTestId("audit-events")).not.toContainText(USERS.approver);
  await context.close();
});

test("a curator sees what only an approver or admin may do disabled, with the reason beside it", async ({ browser }) => {
  const { context, page } = await signedIn(browser, "curator");
  await page.getByRole("navigation", { name: "Studio sections" }).getByRole("link", { name: "Training" }).click();
  await expect(page).toHaveURL(/\/training$/);
  // The approver's test above approved a version, so the chain form is there, and not for a curator.
  const start = page.getByRole("button", { name: "Start training chain" });
  await expect(start).toBeDisabled();
  await expect(start.locator("xpath=..").getByTestId("role-reason")).toHaveText(
    "Starting a training chain needs the approver role; you are signed in as a curator.",
  );
  const save = page.getByRole("button", { name: "Save profile" });
  await expect(save).toBeDisabled();
  await expect(save.locator("xpath=..").getByTestId("role-reason")).toHaveText(
    "Saving a cluster profile needs the admin role; you are signed in as a curator.",
  );
  // The server stays the authority: the same actions over HTTP are refused.
  expect((await page.request.post("/api/training", { data: { versionId } })).status()).toBe(403);
  // A run's controls are a curator's, so they carry no role reason for one.
  await page.getByRole("navigation", { name: "Studio sections" }).getByRole("link", { name: "Runs" }).click();
  await expect(page).toHaveURL(/\/runs$/);
  await page.getByRole("table", { name: "Runs" }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("navigation", { name: "Next steps" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();
  await expect(page.getByTestId("role-reason")).toHaveCount(0);
  await context.close();
});

test("a viewer sees run controls and labelling disabled with the reason", async ({ browser }) => {
  const { context, page } = await signedIn(browser, "viewer");
  await page.getByRole("navigation", { name: "Studio sections" }).getByRole("link", { name: "Runs" }).click();
  await expect(page).toHaveURL(/\/runs$/);
  await page.getByRole("table", { name: "Runs" }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("button", { name: "Cancel" })).toBeDisabled();
  await expect(page.getByTestId("role-reason").first()).toContainText("needs the curator role; you are signed in as a viewer");
  await page.getByRole("link", { name: "Label its samples in focus mode" }).click();
  await expect(page.getByTestId("focus-sample")).toBeVisible();
  await expect(page.getByRole("button", { name: /The model is right/ })).toBeDisabled();
  await expect(page.getByTestId("needs-role")).toContainText("needs the curator role");
  await context.close();
});

test("signing out ends the session on the server", async ({ browser }) => {
  const { context, page } = await signedIn(browser, "viewer");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await page.request.get("/api/runs")).status()).toBe(401);
  await context.close();
});
