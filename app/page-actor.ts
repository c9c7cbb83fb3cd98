// The pages' side of sign-in (Next's headers and redirect), kept out of lib/auth so lib/ stays free of Next.
import { cache } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { database } from "@/lib/db/database";
import { identifyRequest, type RequestIdentity } from "@/lib/auth/request-identity";
import { roleAllows, type Actor, type Role } from "@/lib/auth/roles";

/**
 * Who is signed in for the page being rendered (session cookie), or null. Once per request: the layout
 * and the page both ask, and React's cache makes that one session lookup, not two.
 */
export const currentIdentity = cache(async (): Promise<RequestIdentity | null> => identifyRequest(await database(), await headers()));

/** The signed-in actor of a server-rendered page, or null. */
export async function currentActor(): Promise<Actor | null> {
  return (await currentIdentity())?.actor ?? null;
}

/**
 * For server components that read data: the signed-in actor, or a redirect to /sign-in; with `needed`,
 * an actor below that role is sent to /forbidden instead.
 */
export async function requirePageActor(needed: Role = "viewer"): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in");
  if (!roleAllows(actor.role, needed)) redirect(`/forbidden?needs=${needed}`);
  return actor;
}
