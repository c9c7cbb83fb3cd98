import { requirePageActor } from "@/app/page-actor";

export const dynamic = "force-dynamic";

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ needs?: string }> }) {
  const actor = await requirePageActor();
  const { needs } = await searchParams;
  return (
    <>
      <h1>Not allowed</h1>
      <p className="lead" data-testid="forbidden">
        This page needs the {needs ?? "a higher"} role; {actor.name} is {actor.role}. Ask an admin to change your role.
      </p>
    </>
  );
}
