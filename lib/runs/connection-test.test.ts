import { describe, expect, it } from "vitest";
import { startSimulator } from "../simulator";
import { testConnection } from "./connection-test";

describe("testConnection", () => {
  it("says whether the server enforces JSON schemas", async () => {
    const enforcing = await startSimulator({ port: 0 });
    const ignoring = await startSimulator({ port: 0, ignoreSchemas: true });
    try {
      const a = await testConnection({ baseUrl: enforcing.url, model: "simulated/finemed-sim" });
      expect(a.ok).toBe(true);
      expect(a.schemas?.enforced).toBe(true);
      const b = await testConnection({ baseUrl: ignoring.url, model: "simulated/finemed-sim" });
      expect(b.ok).toBe(true);
      expect(b.schemas?.enforced).toBe(false);
      const c = await testConnection({ baseUrl: ignoring.url, model: "org/absent" });
      expect(c.ok).toBe(false);
      expect(c.schemas).toBeNull();
    } finally {
      await enforcing.close();
      await ignoring.close();
    }
  });
});
