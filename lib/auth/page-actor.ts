import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { database } from "../db/database";
import { identifyRequest } from "./request-identity";
import { roleAllows, type Actor, type Role } from "./roles";

/** The signed-in actor of a server-rendered page, or null. */
export async function currentActor(): Promise<Actor | null> {
  return (await identifyRequest(await database(), await headers()))?.actor ?? null;
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
