import { Readable } from "node:stream";
import { NextResponse } from "next/server";
import { withRole } from "@/lib/auth/with-role";
import { bundleTarGz, jobBundle } from "@/lib/training";
import { bundleInputs } from "@/app/api/training/bundle-query";

export const dynamic = "force-dynamic";

/** GET /api/training/bundle?versionId=&profile=&acknowledgeShortSplits=: the job bundle (sbatch scripts, configs, manifests, TTT job) as .tar.gz. */
export const GET = withRole("curator", async (request: Request, _context: unknown, actor) => {
  const inputs = await bundleInputs(request, actor, "bundle");
  if (inputs instanceof NextResponse) return inputs;
  const bundle = await jobBundle(inputs.profile, inputs.exported);
  return new Response(Readable.toWeb(bundleTarGz(bundle)) as ReadableStream<Uint8Array>, {
    headers: { "content-type": "application/gzip", "content-disposition": `attachment; filename="${bundle.name}.tar.gz"` },
  });
});
