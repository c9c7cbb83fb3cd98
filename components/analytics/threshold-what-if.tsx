"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import type { SampleCount } from "@/lib/samples/count-samples";
import type { HistogramField } from "@/lib/samples/score-histogram";
import { sendJson } from "@/components/samples/send-json";

export interface ScoreRange {
  min: number;
  max: number;
}

function rangeSearch(field: HistogramField, range: ScoreRange): string {
  const params = new URLSearchParams({ [`${field}.min`]: String(range.min), [`${field}.max`]: String(range.max) });
  return params.toString();
}

/** How many samples a score range keeps, counted by the server, and a link to exactly those rows. */
export function ThresholdWhatIf({ field, range }: { field: HistogramField; range: ScoreRange }) {
  const search = rangeSearch(field, range);
  const [answer, setAnswer] = useState<{ search: string; text: string } | null>(null);

  useEffect(() => {
    let current = true;
    void sendJson<SampleCount>(`/api/samples/count?${search}`, "GET").then((result) => {
      if (!current) return;
      const text = result.ok ? `${result.value.exact ? "" : "about "}${result.value.count.toLocaleString("en")} samples` : result.error;
      setAnswer({ search, text });
    });
    return () => {
      current = false;
    };
  }, [search]);

  return (
    <div className="what-if" role="status" aria-label={`${field} threshold`}>
      <span>
        {field} {range.min}–{range.max}: <strong>{answer?.search === search ? answer.text : "counting…"}</strong>
      </span>
      <Link href={`/samples?${search}`}>Open these in Samples</Link>
    </div>
  );
}
