import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { startSimulatorPreferring } from "./preferred-port";

describe("startSimulatorPreferring", () => {
  it("takes a free port when the preferred one is busy, and says which it left", async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", () => resolve()));
    const busy = (squatter.address() as { port: number }).port;
    try {
      const { simulator, movedFrom } = await startSimulatorPreferring(busy, { host: "127.0.0.1" });
      try {
        expect(movedFrom).toBe(busy);
        expect(simulator.port).not.toBe(busy);
        expect(simulator.port).toBeGreaterThan(0);
        const models = await fetch(`${simulator.url}/v1/models`);
        expect(models.status).toBe(200);
      } finally {
        await simulator.close();
      }
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it("keeps the preferred port when it is free", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
    const free = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const { simulator, movedFrom } = await startSimulatorPreferring(free, { host: "127.0.0.1" });
    try {
      expect(movedFrom).toBeNull();
      expect(simulator.port).toBe(free);
    } finally {
      await simulator.close();
    }
  });
});
