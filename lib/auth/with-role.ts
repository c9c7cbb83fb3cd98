import { NextResponse } from "next/server";
import { roleAllows, type Actor, type Role } from "./roles";

/**
 * Who is calling. The single seam every route handler goes through: the security issue (7) replaces
 * this body with the signed-in session or service token; until then the browser acts as "web", admin.
 */
export async function requestActor(_request: Request): Promise<Actor | null> {
  return { name: "web", role: "admin" };
}

type Handler<C> = (request: Request, context: C, actor: Actor) => Promise<Response>;

/** Wraps a route handler: 401 without an actor, 403 when the actor's role is below `needed`. */
export function withRole<C>(needed: Role, handler: Handler<C>): (request: Request, context: C) => Promise<Response> {
  return async (request, context) => {
    const actor = await requestActor(request);
    if (!actor) return NextResponse.json({ error: "sign in first" }, { status: 401 });
    if (!roleAllows(actor.role, needed)) {
      return NextResponse.json({ error: `forbidden: this needs the ${needed} role; ${actor.name} is ${actor.role}` }, { status: 403 });
    }
    return handler(request, context, actor);
  };
}
