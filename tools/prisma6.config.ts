// Prisma 6.19's CLI computes migration SQL offline with its WebAssembly schema engine (engine "js");
// Prisma 7's CLI needs a native engine binary that these machines cannot download.
import { PrismaPg } from "@prisma/adapter-pg";

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: process.env.PRISMA6_SCHEMA ?? "../prisma/schema.prisma",
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" }),
};
