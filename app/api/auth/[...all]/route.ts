import { studioAuth } from "@/lib/auth/auth";

export const dynamic = "force-dynamic";

// better-auth's own endpoints (sign-in/email, sign-out, get-session, change-password): it checks their
// Origin itself (CSRF) and rate-limits sign-in.
async function handle(request: Request): Promise<Response> {
  return (await studioAuth()).handler(request);
}

export const GET = handle;
export const POST = handle;
