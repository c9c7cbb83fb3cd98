import { NextResponse } from "next/server";
import { withRole } from "@/lib/auth/with-role";
import { kubernetesManifests } from "@/lib/training";
import { bundleInputs } from "@/app/api/training/bundle-query";

export const dynamic = "force-dynamic";

/** GET /api/training/kubernetes?versionId=&profile=&acknowledgeShortSplits=: one multi-document YAML of the chain's Jobs (kubectl apply -f). */
export const GET = withRole("curator", async (request: Request, _context: unknown, actor) => {
  const inputs = await bundleInputs(request, actor, "kubernetes");
  if (inputs instanceof NextResponse) return inputs;
  const versionId = inputs.exported.manifest.dataset.versionId;
  const text = kubernetesManifests(inputs.profile, versionId)
    .map((manifest) => manifest.content)
    .join("---\n");
  return new Response(text, {
    headers: {
      "content-type": "application/yaml; charset=utf-8",
      "content-disposition": `attachment; filename="finemed-${versionId.slice(0, 8)}-kubernetes.yaml"`,
    },
  });
});
