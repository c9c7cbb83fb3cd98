import { afterEach, describe, expect, it, vi } from "vitest";
import { simBackendCommand } from "./sim-backend";

afterEach(() => {
  vi.restoreAllMocks();
});

function capture(stream: NodeJS.WriteStream): string[] {
  const lines: string[] = [];
  vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

describe("finemed sim-backend", () => {
  it("rejects bad options with exit code 2 and a message on stderr", async () => {
    const stderr = capture(process.stderr);
    expect(await simBackendCommand(["--fail-rate", "1.5"])).toBe(2);
    expect(await simBackendCommand(["--port", "abc"])).toBe(2);
    expect(await simBackendCommand(["--bogus"])).toBe(2);
    expect(stderr.join("")).toMatch(/fail-rate/);
    expect(stderr.join("")).toMatch(/bogus/);
  });

  it("prints help", async () => {
    const stdout = capture(process.stdout);
    expect(await simBackendCommand(["--help"])).toBe(0);
    expect(stdout.join("")).toContain("--garbage-rate");
  });

  it("serves until stopped and prints its address as JSON", async () => {
    const stdout = capture(process.stdout);
    const stop = new AbortController();
    const running = simBackendCommand(["--port", "0", "--json", "--model", "a/b", "--seed", "s"], stop.signal);
    await vi.waitFor(() => expect(stdout.length).toBeGreaterThan(0));
    const { url } = JSON.parse(stdout[0] ?? "{}") as { url: string };
    const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data[0]?.id).toBe("a/b");
    stop.abort();
    expect(await running).toBe(0);
  });
});
