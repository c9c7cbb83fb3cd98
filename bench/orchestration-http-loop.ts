import { createBackendClient, type ChatRequest } from "../lib/llm/client";
import { defaultPrompt, renderPrompt } from "../lib/pipeline/prompts";
import { medicalText } from "./medical-texts";

/**
 * The ceiling for the end-to-end run: the same kind of chat requests through the studio's backend
 * client, as many in flight, with no pipeline and no database. What the run falls short of this is
 * orchestration cost (call store, parsing, batch writes) rather than HTTP.
 */

export interface HttpLoopFigures {
  requests: number;
  inFlight: number;
  seconds: number;
  requestsPerSecond: number;
  /** CPU of the bench process (client side only), µs per request. */
  clientCpuMicrosPerRequest: number;
}

const WARM_UP_REQUESTS = 2_000;

// Generation prompts carry a whole source text and judgement prompts a short question, as in a run.
function pipelineLikeRequests(count: number): ChatRequest[] {
  let state = 7;
  const random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4_294_967_296;
  };
  const generation = defaultPrompt("instruction-generation");
  const judgement = defaultPrompt("instruction-judgement");
  return Array.from({ length: count }, (_, index): ChatRequest => {
    const content =
      index % 3 === 0
        ? renderPrompt(generation, { text: medicalText(random, index).text })
        : renderPrompt(judgement, { instruction: `What is the first-line therapy for case ${index} of the bench loop?` });
    return { messages: [{ role: "user", content }], responseFormat: "json_object" };
  });
}

async function drive(send: (request: ChatRequest) => Promise<unknown>, requests: ChatRequest[], inFlight: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < requests.length) await send(requests[next++]!);
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

export async function runHttpLoop(baseUrl: string, model: string, total: number, inFlight: number): Promise<HttpLoopFigures> {
  const client = createBackendClient({ role: "judge", baseUrl, model, maxInFlight: inFlight, timeoutMs: 60_000 });
  const requests = pipelineLikeRequests(total);
  // Opens the keep-alive connections and lets both sides JIT-compile before the clock starts.
  await drive((request) => client.chat(request), requests.slice(0, WARM_UP_REQUESTS), inFlight);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await drive((request) => client.chat(request), requests, inFlight);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: total,
    inFlight,
    seconds,
    requestsPerSecond: Math.round(total / seconds),
    clientCpuMicrosPerRequest: Math.round((cpu.user + cpu.system) / total),
  };
}
