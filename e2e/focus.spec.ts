import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

// Focus mode, keyboard only (issue 16): 50 decisions (accepts, relabels, skips, undos, one conflict made
// from a second browser context), then every sample's audit trail in the database, read back through the
// studio's API, must be exactly what the keys did.

interface Label {
  primary: string | null;
  secondary: string | null;
}
interface Change {
  id: number;
  at: string;
  kind: string;
  actor: string;
  reason: string;
  to: Label | null;
}
interface ExpectedChange {
  kind: string;
  reason: string;
  to: Label | null;
}

async function demoRunCompleted(request: APIRequestContext): Promise<void> {
  await expect
    .poll(
      async () =>
        ((await (await request.get("/api/runs")).json()) as { runs: { status: string }[] }).runs.some((run) => run.status === "completed"),
      {
        timeout: 120_000,
      },
    )
    .toBe(true);
}

// Other specs share the studio's database (a bulk relabel may have touched these samples before): only the
// changes made since this spec began are its own.
let specStarted = 0;

/** The sample's curated label now (another spec may have set one): an undo restores it. */
async function curatedOf(request: APIRequestContext, id: number): Promise<Label | null> {
  const response = await request.get(`/api/samples/${id}`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { sample: { curated: Label | null } }).sample.curated;
}

async function historyOf(request: APIRequestContext, id: number): Promise<Change[]> {
  const response = await request.get(`/api/samples/${id}`);
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { labelHistory: Change[]; sample: { curated: Label | null } };
  // The drawer lists newest first; the expectation is written in the order the keys were pressed.
  return body.labelHistory.filter((change) => Date.parse(change.at) >= specStarted).sort((a, b) => a.id - b.id);
}

function onScreen(page: Page) {
  return page.getByTestId("focus-sample");
}

async function currentId(page: Page): Promise<number> {
  await expect(onScreen(page)).toBeVisible();
  return Number(await onScreen(page).getAttribute("data-sample-id"));
}

async function modelLabel(page: Page): Promise<Label> {
  const [primary, secondary] = (await page.getByTestId("focus-model-label").innerText()).split(" / ");
  return { primary: primary!, secondary: secondary === "None" ? null : secondary! };
}

async function pressAndAdvance(page: Page, key: string, from: number): Promise<void> {
  await page.keyboard.press(key);
  await expect(onScreen(page)).not.toHaveAttribute("data-sample-id", String(from));
}

test("a curator labels 50 samples in focus mode with the keyboard alone, and the database holds exactly those decisions", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  await demoRunCompleted(page.request);
  specStarted = Date.now() - 1_000;
  const overriddenBefore = ((await (await page.request.get("/api/samples/count?overridden=true")).json()) as { count: number }).count;
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/");
  await page.getByRole("navigation", { name: "Studio sections" }).getByRole("link", { name: "Samples" }).click();
  await page.getByRole("link", { name: "Review queue" }).first().click();
  await expect(page.getByRole("heading", { name: "Review queue" })).toBeVisible();

  // The review queue in focus mode: "the model is right" clears the item from the queue.
  await page.getByTestId("review-focus-link").click();
  await expect(page).toHaveURL(/\/samples\/focus\?queue=review/);
  const reviewed = await currentId(page);
  const reviewedModel = await modelLabel(page);
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Focus mode keys" })).toBeVisible();
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Focus mode keys" })).toHaveCount(0);
  await pressAndAdvance(page, "a", reviewed);
  await expect(page.getByTestId("focus-done")).toHaveText("1");
  await expect(page.getByTestId("focus-notice")).toContainText(`Sample ${reviewed}: kept the model's label`);
  const expected = new Map<number, ExpectedChange[]>([
    [reviewed, [{ kind: "confirm", reason: "the model is right (focus mode)", to: reviewedModel }]],
  ]);
  const queue = (await (await page.request.get("/api/focus/queue?queue=review&limit=500")).json()) as {
    items: { sample: { id: number } }[];
  };
  expect(queue.items.map((entry) => entry.sample.id)).not.toContain(reviewed);

  // Every kept sample, in id order, for the 50 decisions.
  await page.getByRole("navigation", { name: "Other queues" }).getByRole("link", { name: "all kept samples" }).click();
  await expect(page).toHaveURL(/\/samples\/focus$/);
  await expect(page.getByTestId("focus-done")).toHaveText("0");
  await expect(page.getByTestId("focus-sample")).toBeVisible();
  await expect(page.getByTestId("focus-left")).toHaveText(/^\d+$/);
  const startLeft = Number(await page.getByTestId("focus-left").innerText());
  expect(startLeft).toBeGreaterThan(100);
  await page.screenshot({ path: "test-results/focus-mode-1440.png" });

  const skipped = new Set<number>();
  const add = (id: number, change: ExpectedChange) => expected.set(id, [...(expected.get(id) ?? []), change]);
  const RELABEL = "relabelled in focus mode";
  const CONFIRM = "the model is right (focus mode)";
  let decided = 0;
  let lastDecided: { id: number; to: Label | null; previous: Label | null } | null = null;
  const other = await browser.newContext();

  const relabel = async (id: number, keys: [string, string], to: Label, reason = RELABEL) => {
    await page.keyboard.press(keys[0]);
    await expect(page.getByRole("group", { name: `Secondary department under ${to.primary}` })).toBeVisible();
    await pressAndAdvance(page, keys[1], id);
    add(id, { kind: "relabel", reason, to });
    lastDecided = { id, to, previous: null };
    decided += 1;
  };
  const accept = async (id: number, key: "a" | "Enter") => {
    const model = await modelLabel(page);
    const previous = await curatedOf(page.request, id);
    await pressAndAdvance(page, key, id);
    add(id, { kind: "confirm", reason: CONFIRM, to: model });
    lastDecided = { id, to: model, previous };
    decided += 1;
  };

  for (let step = 0; step < 50; step += 1) {
    const id = await currentId(page);
    switch (step % 10) {
      case 0:
        await accept(id, "a");
        break;
      case 1:
        await relabel(id, ["2", "1"], { primary: "Surgery", secondary: "Gastrointestinal Surgery" });
        break;
      case 2:
        if (step === 22) {
          // A second curator changes this sample after it was loaded here: the decision is a conflict.
          const version = Number(await onScreen(page).getAttribute("data-label-version"));
          const changed = await other.request.post("/api/labels", {
            data: {
              instructionId: id,
              expectedVersion: version,
              to: { primary: "Surgery", secondary: "Urology" },
              reason: "changed elsewhere",
            },
          });
          expect(changed.ok()).toBe(true);
          add(id, { kind: "relabel", reason: "changed elsewhere", to: { primary: "Surgery", secondary: "Urology" } });
          await page.keyboard.press("Enter");
          await expect(page.getByTestId("focus-notice")).toContainText(`Sample ${id} was not saved`);
          await expect(page.getByTestId("focus-notice")).toContainText("reloaded");
          await expect(onScreen(page)).toHaveAttribute("data-sample-id", String(id));
          await expect(onScreen(page)).toHaveAttribute("data-label-version", String(version + 1));
          await expect(page.getByTestId("focus-curated-label")).toHaveText("Surgery / Urology");
        }
        await accept(id, "Enter");
        break;
      case 3:
        await relabel(id, ["4", "n"], { primary: "Pediatrics", secondary: null });
        break;
      case 4:
        await pressAndAdvance(page, "s", id);
        skipped.add(id);
        break;
      case 5:
        await accept(id, "a");
        break;
      case 6: {
        // Undo the accept just made: that sample comes back, and is relabelled instead.
        const undone = lastDecided!;
        await page.keyboard.press("z");
        await expect(onScreen(page)).toHaveAttribute("data-sample-id", String(undone.id));
        await expect(page.getByTestId("focus-notice")).toContainText(`Undone: sample ${undone.id}`);
        add(undone.id, { kind: "undo", reason: "undo", to: undone.previous });
        decided -= 1;
        await relabel(undone.id, ["1", "2"], { primary: "Internal Medicine", secondary: "Cardiology" });
        break;
      }
      case 7:
        await relabel(id, ["6", "3"], { primary: "Other Departments", secondary: "Anesthesiology" });
        break;
      case 8:
        await page.keyboard.press("r");
        await expect(page.getByTestId("focus-reason")).toHaveValue("wrong specialty");
        await relabel(id, ["3", "1"], { primary: "Obstetrics and Gynecology", secondary: "Gynecology" }, "wrong specialty");
        break;
      default:
        await accept(id, "a");
    }
  }
  await expect(page.getByTestId("focus-done")).toHaveText(String(decided));
  await expect(page.getByTestId("focus-left")).toHaveText(String(startLeft - decided - skipped.size));
  await other.close();

  // The database: each touched sample's trail is exactly what was pressed, in order; skipped ones have none.
  for (const [id, changes] of expected) {
    await expect
      .poll(
        async () => (await historyOf(page.request, id)).map((change) => ({ kind: change.kind, reason: change.reason, to: change.to })),
        { timeout: 15_000 },
      )
      .toEqual(changes);
  }
  // A skip writes nothing: a skipped sample's trail is empty, or (the review queue's first sample can come round again
  // in id order) exactly what the loop above checked.
  for (const id of skipped) if (!expected.has(id)) expect(await historyOf(page.request, id)).toEqual([]);
  // 5 rounds of 10 steps: 8 decisions kept each (an accept undone and relabelled instead), 1 skip.
  expect(decided).toBe(40);
  expect(skipped.size).toBe(5);
  // Nothing else was written: at most the samples decided here gained a curated label (other specs share the
  // database, so some of them may have carried one already).
  const overridden = (await (await page.request.get("/api/samples/count?overridden=true")).json()) as { count: number };
  expect(overridden.count).toBeGreaterThanOrEqual(overriddenBefore);
  expect(overridden.count).toBeLessThanOrEqual(overriddenBefore + expected.size);
});

test("focus mode at 1024×768 shows the sample and its keys above the fold", async ({ page }) => {
  await demoRunCompleted(page.request);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto("/samples/review");
  await page.getByTestId("review-focus-link").click();
  await expect(page.getByTestId("focus-sample")).toBeVisible();
  const keys = await page.getByRole("complementary", { name: "Decision keys" }).boundingBox();
  expect(keys).not.toBeNull();
  expect(keys!.x + keys!.width).toBeLessThanOrEqual(1024);
  await expect(page.getByRole("button", { name: /The model is right/ })).toBeInViewport();
  await page.keyboard.press("2");
  await expect(page.getByRole("group", { name: "Secondary department under Surgery" })).toBeInViewport();
  await page.screenshot({ path: "test-results/focus-mode-1024.png" });
});
