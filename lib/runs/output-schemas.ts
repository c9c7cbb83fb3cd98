import type { JsonSchemaFormat } from "../llm/client";
import type { Stage } from "./stage-stats";

/**
 * JSON schemas for the stages whose prompts ask for JSON, sent where a role has structured outputs
 * (vLLM guided decoding). They mirror the paper's formats; the parsers still validate every output,
 * since a server may ignore the schema.
 */
const stringFields = (name: string, fields: string[]): JsonSchemaFormat => ({
  name,
  schema: {
    type: "object",
    properties: Object.fromEntries(fields.map((field) => [field, { type: "string", minLength: 1 }])),
    required: fields,
    additionalProperties: false,
  },
});

const JUDGEMENT: JsonSchemaFormat = {
  name: "instruction_judgement",
  schema: {
    type: "object",
    properties: {
      quality: { type: "integer", minimum: 1, maximum: 10 },
      difficulty: { type: "integer", minimum: 1, maximum: 10 },
      Relevance2Medicine: { type: "integer", minimum: 1, maximum: 6 },
      MentionSpecificDetails: { type: "string", enum: ["True", "False"] },
    },
    required: ["quality", "difficulty", "Relevance2Medicine", "MentionSpecificDetails"],
    additionalProperties: false,
  },
};

const SCHEMAS: Partial<Record<Stage, JsonSchemaFormat>> = {
  generation: stringFields("generated_instructions", ["question1", "question2"]),
  judgement: JUDGEMENT,
  "common-answers": stringFields("common_answers", ["answer1", "answer2"]),
  "direct-answer": stringFields("direct_answer", ["answer1", "answer2"]),
};

export function outputSchema(stage: Stage): JsonSchemaFormat | undefined {
  return SCHEMAS[stage];
}
