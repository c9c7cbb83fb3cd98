// The pure parts of the gate: how a request is named in the audit log, when a cookie request is
// cross-site (CSRF), and what the log never stores.
import { describe, expect, it } from "vitest";
import { describeRequest } from "../lib/auth/request-audit";
import { crossSiteRefusal } from "../lib/auth/request-identity";
import { maskSecrets } from "../lib/audit";

const RUN = "0b7f1c3e-2a4d-4e5f-8a9b-0c1d2e3f4a5b";

describe("audit action names", () => {
  it("derive the action and subject from the route, with readable names for the known ones", () => {
    expect(describeRequest("POST", `/api/runs/${RUN}/pause`, { id: RUN, action: "pause" })).toEqual({
      action: "runs.pause",
      subjectType: "run",
      subjectId: RUN,
    });
    expect(describeRequest("POST", "/api/runs", {})).toEqual({ action: "runs.start", subjectType: "run", subjectId: null });
    expect(describeRequest("POST", `/api/datasets/${RUN}/approve`, { id: RUN, action: "approve" })).toMatchObject({
      action: "datasets.approve",
      subjectType: "dataset",
      subjectId: RUN,
    });
    expect(describeRequest("POST", "/api/labels", {})).toMatchObject({ action: "labels.relabel", subjectType: "label" });
    expect(describeRequest("POST", "/api/labels/bulk/42/undo", { id: "42" })).toMatchObject({
      action: "labels.bulk.undo",
      subjectId: "42",
    });
    expect(describeRequest("PATCH", "/api/taxonomy/departments/7", { id: "7" })).toMatchObject({
      action: "taxonomy.rename",
      subjectId: "7",
    });
    expect(describeRequest("POST", "/api/training", {})).toMatchObject({ action: "training.start", subjectType: "training" });
    expect(describeRequest("POST", "/api/users", {}, { action: "users.create", subjectType: "user" })).toEqual({
      action: "users.create",
      subjectType: "user",
      subjectId: null,
    });
  });
});

describe("CSRF", () => {
  const post = (headers: Record<string, string>) => new Request("http://studio.test/api/labels", { method: "POST", headers });
  it("accepts the studio's own origin and non-browser clients, refuses other sites", () => {
    expect(crossSiteRefusal(post({ origin: "http://studio.test", host: "studio.test" }))).toBeNull();
    expect(crossSiteRefusal(post({ "sec-fetch-site": "same-origin" }))).toBeNull();
    expect(crossSiteRefusal(post({}))).toBeNull();
    expect(crossSiteRefusal(post({ origin: "http://evil.test", host: "studio.test" }))).toMatch(/cross-site/);
    expect(crossSiteRefusal(post({ "sec-fetch-site": "cross-site" }))).toMatch(/cross-site/);
    expect(crossSiteRefusal(post({ "sec-fetch-site": "same-site", origin: "http://sub.studio.test" }))).toMatch(/cross-site/);
    expect(crossSiteRefusal(post({ origin: "null", host: "studio.test" }))).toMatch(/cross-site/);
  });
});

describe("secret masking", () => {
  it("masks credential fields and key-like values, keeps the names of environment variables", () => {
    expect(
      maskSecrets({
        password: "hunter22",
        nested: { apiKey: "abc", apiKeyEnv: "VLLM_API_KEY", note: "sk-abcdefghijkl" },
        token: "fm_xyz",
        list: [{ secret: "s" }],
        count: 3,
      }),
    ).toEqual({
      password: "***",
      nested: { apiKey: "***", apiKeyEnv: "VLLM_API_KEY", note: "***" },
      token: "***",
      list: [{ secret: "***" }],
      count: 3,
    });
  });
});

describe("CSRF: the full origin, and Referer without Origin (security probe finding 10)", () => {
  const post = (url: string, headers: Record<string, string>) => new Request(url, { method: "POST", headers });
  it("compares the scheme and the port, not only the host name", () => {
    expect(crossSiteRefusal(post("http://studio.test/api/labels", { origin: "https://studio.test", host: "studio.test" }))).toMatch(
      /cross-site.*https:\/\/studio.test is not http:\/\/studio.test/,
    );
    expect(
      crossSiteRefusal(post("http://studio.test:3000/api/labels", { origin: "http://studio.test:4000", host: "studio.test:3000" })),
    ).toMatch(/cross-site/);
    expect(
      crossSiteRefusal(post("http://studio.test:3000/api/labels", { origin: "http://studio.test:3000", host: "studio.test:3000" })),
    ).toBeNull();
    // Behind a TLS proxy the browser's scheme arrives in X-Forwarded-Proto.
    expect(
      crossSiteRefusal(
        post("http://10.0.0.5/api/labels", {
          origin: "https://studio.test",
          host: "10.0.0.5",
          "x-forwarded-host": "studio.test",
          "x-forwarded-proto": "https",
        }),
      ),
    ).toBeNull();
  });

  it("uses Referer when Origin is absent", () => {
    expect(crossSiteRefusal(post("http://studio.test/api/labels", { referer: "http://evil.test/page", host: "studio.test" }))).toMatch(
      /cross-site request refused \(Referer http:\/\/evil.test/,
    );
    expect(crossSiteRefusal(post("http://studio.test/api/labels", { referer: "https://studio.test/labels", host: "studio.test" }))).toMatch(
      /cross-site/,
    );
    expect(
      crossSiteRefusal(post("http://studio.test/api/labels", { referer: "http://studio.test/samples?x=1", host: "studio.test" })),
    ).toBeNull();
    expect(crossSiteRefusal(post("http://studio.test/api/labels", { referer: "not a url", host: "studio.test" }))).toMatch(
      /malformed Referer/,
    );
  });
});
