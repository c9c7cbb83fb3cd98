import { NextResponse, type NextRequest } from "next/server";
import { requestActor } from "@/lib/auth/with-role";

/**
 * Pages need a signed-in session: without a valid one (checked against the sessions table, not just
 * the cookie's presence) a page request goes to /sign-in?next=… . API routes are not matched here:
 * each handler checks its own role (withRole) and answers 401/403 as JSON, and large uploads are not
 * buffered by the proxy.
 */
export async function proxy(request: NextRequest) {
  if (await requestActor(request)) return NextResponse.next();
  const signIn = new URL("/sign-in", request.url);
  const path = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (path !== "/") signIn.searchParams.set("next", path);
  return NextResponse.redirect(signIn);
}

export const config = {
  matcher: ["/((?!api/|_next/|sign-in|favicon.ico|robots.txt).*)"],
};
