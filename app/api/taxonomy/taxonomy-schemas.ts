import { z } from "zod";

const name = z.string().trim().min(1, "a department needs a name").max(200);

export const addDepartmentSchema = z.object({ level: z.enum(["primary", "secondary"]), name, parent: name.optional() });
export const renameDepartmentSchema = z.object({ name });
export const mergeDepartmentsSchema = z.object({
  fromId: z.number().int().positive(),
  intoId: z.number().int().positive(),
  reason: z.string().trim().min(1, "give a reason for the merge").max(2000),
});
export const departmentIdSchema = z.object({ id: z.coerce.number().int().positive() });
