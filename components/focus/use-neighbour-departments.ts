"use client";

import { useEffect, useRef, useState } from "react";
import { sendJson } from "@/components/samples/send-json";

// The departments of a sample's nearest neighbours in the embedding map (GET /api/neighbours), fetched
// for the sample on screen and the next ones so they are there when it comes up.

const K = 10;

interface NeighbourAnswer {
  neighbours?: { instructionId: number; primaryId?: number | null; secondaryId?: number | null }[];
}

export type NeighbourDepartments =
  { ok: true; departments: { primaryId: number | null; secondaryId: number | null }[] } | { ok: false; reason: string };

export function useNeighbourDepartments(ids: number[]): Map<number, NeighbourDepartments> {
  const [known, setKnown] = useState<Map<number, NeighbourDepartments>>(new Map());
  const asked = useRef(new Set<number>());
  const key = ids.join(",");
  useEffect(() => {
    for (const id of key
      .split(",")
      .filter((value) => value !== "")
      .map(Number)) {
      if (asked.current.has(id)) continue;
      asked.current.add(id);
      void sendJson<NeighbourAnswer>(`/api/neighbours?instructionId=${id}&k=${K}`, "GET").then((answer) => {
        const value: NeighbourDepartments = answer.ok
          ? {
              ok: true,
              departments: (answer.value.neighbours ?? []).map((n) => ({
                primaryId: n.primaryId ?? null,
                secondaryId: n.secondaryId ?? null,
              })),
            }
          : { ok: false, reason: answer.error };
        setKnown((map) => new Map(map).set(id, value));
      });
    }
  }, [key]);
  return known;
}
