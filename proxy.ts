import { NextResponse, type NextRequest } from "next/server";
import { database } from "@/lib/db/database";
import { identifyRequest } from "@/lib/auth/request-identity";

/**
 * Pages need a signed-in session: without a valid one (checked against the sessions table, not just
 * the cookie's presence) a page request goes to /sign-in?next=… . A user still on the generated
 * one-time password is sent to /account to choose a new one first. API routes are not matched here:
 * each handler checks its own role (withRole) and answers 401/403 as JSON, and large uploads are not
 * buffered by the proxy.
 */
export async function proxy(request: NextRequest) {
  const identity = await identifyRequest(await database(), request.headers);
  const path = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (!identity) {
    const signIn = new URL("/sign-in", request.url);
    if (path !== "/") signIn.searchParams.set("next", path);
    return NextResponse.redirect(signIn);
  }
  if (identity.mustChangePassword && request.nextUrl.pathname !== "/account")
    return NextResponse.redirect(new URL("/account", request.url));
  return NextResponse.next();
}

export const config = {
  matcher: ["/((?!api/|_next/|sign-in|favicon.ico|favicon.svg|robots.txt).*)"],
};
