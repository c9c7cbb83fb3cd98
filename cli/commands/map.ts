import { z } from "zod";
import { CommandError, parseCommandLine, printJson, type Command } from "../command";
import { requireCliRole } from "../cli-actor";
import { connectDatabase, type Database } from "../../lib/db/database";
import { embedSamples } from "../../lib/embeddings/embed-samples";
import {
  defaultEmbedderSpec,
  defaultEmbeddingInput,
  embedderName,
  embedderSpecSchema,
  EMBEDDING_INPUTS,
  type EmbedderSpec,
} from "../../lib/embeddings/embedder-spec";
import { createProjection, ProjectionRequestError } from "../../lib/projection/create-projection";
import { listProjections, projectionById, type ProjectionSummary } from "../../lib/projection/projection-store";
import { NeighbourQueryError, retrieveReasoning, sampleNeighbours } from "../../lib/neighbours";
import { refreshNeighbourIndex } from "../../lib/neighbours/refresh-neighbour-index";

const usage = `Usage: finemed map embed [--run RUN_ID …] [--lexical | --backend URL --model NAME] [--input instruction|instruction+response|instruction+response+source] [--json]
       finemed map project [--method umap|tsne] [--neighbors N] [--min-dist D] [--perplexity P] [--seed S]
                           [--fit-sample N] [--run RUN_ID …] [--lexical | --backend URL --model NAME] [--wait] [--json]
       finemed map list [--json]
       finemed map neighbours --instruction ID [--k N] [--json]
       finemed map ttt --question TEXT [--k N] [--json]

The embedding map. embed: embeds the kept samples (of the runs given, else all) that the embedding space
lacks, here in this process. project: queues a UMAP (default) or t-SNE projection for a worker
(finemed worker, or serve), which embeds what is missing, fits on a sample of --fit-sample points and
places the rest; --wait follows it to the end. list: projections with their embedder, k=15 neighbour
preservation (against the true neighbours among all points, for up to 300 sampled points) and kNN department
purity (the share of a point's 10 nearest neighbours in the embedding space that share its primary). neighbours: a sample's nearest samples by cosine similarity. ttt: the long-form reasoning
samples most similar to a question (test-time-training retrieval).

The embedder: --backend URL --model NAME (an OpenAI-compatible /v1/embeddings server, e.g. vLLM serving
BAAI/bge-large-en-v1.5; --api-key-env VAR names the variable holding its key), else
FINEMED_EMBEDDER_URL + FINEMED_EMBEDDER_MODEL, else --lexical: the in-process lexical embedder
(LSA over TF-IDF of the instruction, the chosen answer and the source text), which needs no GPU.`;

const ACTIONS = ["embed", "project", "list", "neighbours", "ttt"] as const;

const Arguments = z
  .object({
    positionals: z.tuple([z.enum(ACTIONS, { error: `the action is one of ${ACTIONS.join(", ")}` })], {
      error: "expected one action: embed, project, list, neighbours or ttt",
    }),
    method: z.enum(["umap", "tsne"]).default("umap"),
    neighbors: z.coerce.number().optional(),
    "min-dist": z.coerce.number().optional(),
    perplexity: z.coerce.number().optional(),
    seed: z.coerce.number().optional(),
    "fit-sample": z.coerce.number().optional(),
    run: z.array(z.uuid({ error: "--run must be a run's id" })).optional(),
    lexical: z.boolean().default(false),
    backend: z.string().optional(),
    model: z.string().optional(),
    "api-key-env": z.string().optional(),
    input: z.enum(EMBEDDING_INPUTS).optional(),
    wait: z.boolean().default(false),
    instruction: z
      .string()
      .regex(/^\d{1,18}$/, "--instruction must be a sample's id")
      .optional(),
    question: z.string().optional(),
    k: z.coerce.number().int().min(1).max(100).optional(),
    json: z.boolean().default(false),
  })
  .refine((args) => !(args.lexical && args.backend), { message: "--lexical and --backend exclude each other" })
  .refine((args) => !args.backend === !args.model, { message: "--backend and --model go together" });
type MapArguments = z.infer<typeof Arguments>;

function embedderOf(args: MapArguments): EmbedderSpec {
  if (args.lexical) return embedderSpecSchema.parse({ kind: "lexical" });
  if (args.backend) {
    const parsed = embedderSpecSchema.safeParse({
      kind: "backend",
      baseUrl: args.backend,
      model: args.model,
      ...(args["api-key-env"] ? { apiKeyEnv: args["api-key-env"] } : {}),
    });
    if (!parsed.success)
      throw new CommandError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "), 2);
    return parsed.data;
  }
  return defaultEmbedderSpec();
}

function describeProjection(p: ProjectionSummary): string {
  const preservation =
    p.neighbourPreservation !== null
      ? `  kNN preservation ${p.neighbourPreservation.toFixed(3)} (among all points)`
      : p.neighbourPreservationAmongSample !== null
        ? `  kNN preservation ${p.neighbourPreservationAmongSample.toFixed(3)} (among a subsample only)`
        : "";
  const purity = p.departmentPurity === null ? "" : `  department purity ${p.departmentPurity.toFixed(3)}`;
  const progress = p.status === "running" ? `  ${Math.round(p.progress * 100)}% ${p.phase ?? ""}` : "";
  const points = p.pointCount === null ? "" : `  ${p.pointCount.toLocaleString("en-US")} points`;
  return `${p.id}  ${p.method.padEnd(4)}  ${p.status.padEnd(7)}  ${p.space.embedder}${points}${preservation}${purity}${progress}${p.error ? `  error: ${p.error}` : ""}`;
}

async function follow(db: Database, id: string, json: boolean): Promise<ProjectionSummary> {
  let lastLine = "";
  for (;;) {
    const projection = await projectionById(db, id);
    if (!projection) throw new CommandError(`projection ${id} is gone`);
    const line = `${projection.status} ${Math.round(projection.progress * 100)}% ${projection.phase ?? ""}`;
    if (!json && line !== lastLine) process.stderr.write(`${line}\n`);
    lastLine = line;
    if (projection.status === "done" || projection.status === "failed") return projection;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

export const mapCommand: Command = {
  name: "map",
  summary: "embed samples, compute projections, query neighbours and TTT retrieval",
  usage,
  async run(argv) {
    const args = parseCommandLine(
      argv,
      {
        method: { type: "string" },
        neighbors: { type: "string" },
        "min-dist": { type: "string" },
        perplexity: { type: "string" },
        seed: { type: "string" },
        "fit-sample": { type: "string" },
        run: { type: "string", multiple: true },
        lexical: { type: "boolean" },
        backend: { type: "string" },
        model: { type: "string" },
        "api-key-env": { type: "string" },
        input: { type: "string" },
        wait: { type: "boolean" },
        instruction: { type: "string" },
        question: { type: "string" },
        k: { type: "string" },
        json: { type: "boolean" },
      },
      Arguments,
      true,
    );
    const [action] = args.positionals;
    if (action === "neighbours" && !args.instruction) throw new CommandError("map neighbours needs --instruction ID", 2);
    if (action === "ttt" && !args.question?.trim()) throw new CommandError("map ttt needs --question TEXT", 2);
    const scope = args.run ? { runIds: args.run } : {};
    // Embedding and projecting write; listing and the queries read.
    const actor = await requireCliRole(action === "embed" || action === "project" ? "curator" : "viewer");
    const db = await connectDatabase();
    try {
      if (action === "embed") {
        const embedder = embedderOf(args);
        const outcome = await embedSamples(
          db,
          { embedder, input: args.input ?? defaultEmbeddingInput(embedder), scope },
          {
            onVectorsWritten: (space, written, lexical) => refreshNeighbourIndex(db, space, written, lexical),
            onProgress: (done, total) => {
              if (!args.json && process.stderr.isTTY) process.stderr.write(`\rembedding ${done}/${total}`);
            },
          },
        );
        if (!args.json && process.stderr.isTTY) process.stderr.write("\n");
        const document = {
          space: outcome.space.embedder,
          input: outcome.space.input,
          inScope: outcome.inScope,
          embedded: outcome.embedded,
          alreadyEmbedded: outcome.alreadyEmbedded,
          backendCalls: outcome.calls,
          seconds: outcome.seconds,
        };
        if (args.json) printJson(document);
        else
          process.stdout.write(
            `${embedderName(embedder)}: ${outcome.embedded} embedded now, ${outcome.alreadyEmbedded} already held, ${outcome.inScope} in scope (${outcome.calls.made} backend calls, ${outcome.calls.reused} reused)\n`,
          );
        return 0;
      }
      if (action === "project") {
        const parameters: Record<string, number> = {};
        const set = (key: string, value: number | undefined) => {
          if (value !== undefined) parameters[key] = value;
        };
        if (args.method === "umap") {
          set("nNeighbors", args.neighbors);
          set("minDist", args["min-dist"]);
          if (args.perplexity !== undefined) throw new CommandError("--perplexity is a t-SNE parameter (--method tsne)", 2);
        } else {
          set("perplexity", args.perplexity);
          set("nNeighbors", args.neighbors);
          if (args["min-dist"] !== undefined) throw new CommandError("--min-dist is a UMAP parameter", 2);
        }
        set("seed", args.seed);
        set("fitSample", args["fit-sample"]);
        let created;
        try {
          created = await createProjection(
            db,
            { method: args.method, parameters, scope, embedder: embedderOf(args), ...(args.input ? { input: args.input } : {}) },
            actor.name,
          );
        } catch (error) {
          if (error instanceof ProjectionRequestError) throw new CommandError(error.message, 2);
          throw error;
        }
        if (!args.wait) {
          if (args.json) printJson(await projectionById(db, created.id));
          else
            process.stdout.write(
              `queued projection ${created.id} (${args.method}, ${created.embedder}); a worker computes it (finemed worker, or serve)\n`,
            );
          return 0;
        }
        const finished = await follow(db, created.id, args.json);
        if (args.json) printJson(finished);
        else process.stdout.write(`${describeProjection(finished)}\n`);
        return finished.status === "done" ? 0 : 1;
      }
      if (action === "list") {
        const projections = await listProjections(db);
        if (args.json) printJson({ projections });
        else if (projections.length === 0) process.stdout.write("no projections yet: finemed map project\n");
        else for (const projection of projections) process.stdout.write(`${describeProjection(projection)}\n`);
        return 0;
      }
      try {
        if (action === "neighbours") {
          const answer = await sampleNeighbours(db, BigInt(args.instruction!), { k: args.k ?? 10 });
          if (args.json) printJson(answer);
          else {
            process.stdout.write(`nearest neighbours of sample ${args.instruction} in ${answer.space.embedder}:\n`);
            for (const n of answer.neighbours)
              process.stdout.write(`${n.similarity.toFixed(4)}  ${n.instructionId}  ${n.instruction.slice(0, 100)}\n`);
          }
          return 0;
        }
        const answer = await retrieveReasoning(db, args.question!, { k: args.k ?? 5 });
        if (args.json) printJson(answer);
        else {
          process.stdout.write(`long-form reasoning samples most similar to the question (${answer.space.embedder}):\n`);
          for (const r of answer.results)
            process.stdout.write(`${r.similarity.toFixed(4)}  ${r.instructionId}  ${r.instruction.slice(0, 100)}\n`);
        }
        return 0;
      } catch (error) {
        if (error instanceof NeighbourQueryError) throw new CommandError(error.message, error.status === 400 ? 2 : 1);
        throw error;
      }
    } finally {
      await db.close();
    }
  },
};
