import { z } from "zod";

/** PostgreSQL text cannot hold U+0000; refusing it at the boundary names the field that has it. */
export function withoutNul(schema: z.ZodString): z.ZodString {
  return schema.refine((value) => !value.includes("\u0000"), { error: "contains a NUL character" });
}
