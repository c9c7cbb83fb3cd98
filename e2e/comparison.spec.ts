import { expect, test } from "@playwright/test";

// The studio started by start-studio.ts serves its simulated demo backend here.
const DEMO_BACKEND = process.env.E2E_DEMO_BACKEND_URL ?? `http://127.0.0.1:${process.env.E2E_DEMO_BACKEND_PORT ?? "8791"}`;

const QUESTIONS = [
  "What is the first-line treatment for uncomplicated hypertension in adults?",
  "Does metformin reduce cardiovascular events in type 2 diabetes?",
  "How is community-acquired pneumonia diagnosed in children?",
  "Which imaging is preferred for suspected acute appendicitis in pregnancy?",
  "What are the risk factors for postpartum haemorrhage?",
  "Is early mobilisation after hip fracture surgery associated with lower mortality?",
  "How should warfarin be managed before elective dental extraction?",
  "What distinguishes Crohn's disease from ulcerative colitis on colonoscopy?",
  "Tell me about the weather.",
  "Which vaccines are recommended for adults over 65?",
  "What is the role of BNP in diagnosing heart failure?",
  "How is iron deficiency anaemia treated in chronic kidney disease?",
];

test("a curator imports another dataset, judges it against the demo backend and sees it beside FineMed", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/analytics/comparison");
  await expect(page.getByRole("heading", { name: "Dataset comparison" })).toBeVisible();

  const name = `e2e questions ${Date.now().toString(36)}`;
  const form = page.getByRole("form", { name: "Import a comparison dataset" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Instruction field").fill("question");
  await form.getByLabel("Comparison file").setInputFiles({
    name: "questions.jsonl",
    mimeType: "application/jsonl",
    buffer: Buffer.from(QUESTIONS.map((question, index) => JSON.stringify({ id: index, question })).join("\n") + "\n"),
  });
  await form.getByRole("button", { name: "Import" }).click();
  await expect(form.getByRole("status")).toContainText(`Imported ${QUESTIONS.length} instructions`);

  const row = page.locator(`tr[data-dataset="${name}"]`);
  await expect(row).toContainText("not judged");
  await row.getByLabel("Judge base URL").fill(DEMO_BACKEND);
  await row.getByLabel("Judge model").fill("simulated/finemed-sim");
  await row.getByRole("button", { name: "Judge" }).click();
  await expect(row.locator(".judging-progress")).toContainText(`completed: ${QUESTIONS.length}/${QUESTIONS.length}`, { timeout: 120_000 });

  for (const title of ["Quality", "Difficulty", "Relevance"]) {
    const chart = page.getByRole("region", { name: `${title} comparison` });
    // The demo run's judged instructions on one side, the new dataset on the other, both with n, mean and median.
    await expect(chart.locator('[data-series="finemed"]')).toContainText(/FineMed: n=[1-9][\d,]*, mean \d+\.\d\d, median \d+/);
    await expect(chart.locator('[data-series="comparison"]', { hasText: name })).toContainText(/n=\d+, mean \d+\.\d\d, median \d+/);
    await expect(chart.locator(".recharts-bar-rectangle").first()).toBeVisible();
  }
});
