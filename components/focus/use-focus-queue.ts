"use client";

import { useCallback, useEffect, useRef, useState, useTransition } from "react";
import type { FocusItem, FocusPage } from "@/lib/labels/focus-queue";
import type { LabelTarget } from "@/lib/taxonomy/label-target";
import type { SampleDetail } from "@/lib/samples";
import { sendJson } from "@/components/samples/send-json";

// The queue in the browser: a buffer of prefetched samples (the next one is already here when a key is
// pressed, so advancing never waits on the network), decisions written in the background in order, and
// a conflict or failure putting that sample back on screen, reloaded, with the reason.

const PAGE_SIZE = 20;
const REFILL_BELOW = 8;

export type FocusDecisionBody = { kind: "confirm" } | { kind: "relabel"; to: LabelTarget };

export interface FocusNotice {
  tone: "ok" | "bad";
  text: string;
}

interface Decided {
  item: FocusItem;
  /** The label change the decision wrote (null: nothing changed), once the server has answered. */
  changeId: Promise<number | null | "failed">;
}

export interface FocusQueueState {
  current: FocusItem | null;
  upcoming: FocusItem[];
  /** Samples already here, the one on screen included. */
  buffered: number;
  loading: boolean;
  exhausted: boolean;
  done: number;
  skipped: number;
  total: { count: number; exact: boolean } | null;
  notice: FocusNotice | null;
}

interface DecisionAnswer {
  changeId: number | null;
  version: number;
}

function labelText(label: { primary: string | null; secondary: string | null }): string {
  return `${label.primary ?? "no department"} / ${label.secondary ?? "None"}`;
}

async function freshSample(item: FocusItem): Promise<FocusItem> {
  const answer = await sendJson<SampleDetail>(`/api/samples/${item.sample.id}`, "GET");
  return answer.ok ? { ...item, sample: answer.value.sample } : item;
}

/** `queueParams`: the queue's URL params (queue=review|filter and the samples filters). */
export function useFocusQueue(queueParams: string) {
  const [items, setItems] = useState<FocusItem[]>([]);
  // Loading until the first page answered, and while a refill is out (a transition, so starting one from
  // an effect is not a cascading state update).
  const [answered, setAnswered] = useState(false);
  const [refilling, startRefill] = useTransition();
  const loading = !answered || refilling;
  const [exhausted, setExhausted] = useState(false);
  const [done, setDone] = useState(0);
  const [skipped, setSkipped] = useState(0);
  const [total, setTotal] = useState<FocusQueueState["total"]>(null);
  const [notice, setNotice] = useState<FocusNotice | null>(null);
  const cursor = useRef<string | null>(null);
  const lowReward = useRef<number | null>(null);
  const fetching = useRef(false);
  const history = useRef<Decided[]>([]);
  // Writes go out one after another, so an undo always follows the decision it undoes.
  const writes = useRef<Promise<unknown>>(Promise.resolve());

  const loadPage = useCallback(async () => {
    if (fetching.current) return;
    fetching.current = true;
    const params = new URLSearchParams(queueParams);
    params.set("limit", String(PAGE_SIZE));
    if (cursor.current) params.set("after", cursor.current);
    if (lowReward.current !== null) params.set("low", String(lowReward.current));
    const answer = await sendJson<FocusPage>(`/api/focus/queue?${params.toString()}`, "GET");
    fetching.current = false;
    setAnswered(true);
    if (!answer.ok) {
      setNotice({ tone: "bad", text: `The queue could not be read: ${answer.error}` });
      setExhausted(true);
      return;
    }
    const page = answer.value;
    if (cursor.current === null && page.total) setTotal(page.total);
    cursor.current = page.nextCursor;
    lowReward.current = page.lowRewardBelow;
    if (page.nextCursor === null) setExhausted(true);
    setItems((buffer) => {
      const known = new Set(buffer.map((entry) => entry.sample.id));
      return [...buffer, ...page.items.filter((entry) => !known.has(entry.sample.id))];
    });
  }, [queueParams]);

  useEffect(() => {
    startRefill(loadPage);
  }, [loadPage]);

  useEffect(() => {
    if (items.length < REFILL_BELOW && !exhausted && !fetching.current) startRefill(loadPage);
  }, [items.length, exhausted, loadPage]);

  const putBack = useCallback((item: FocusItem) => {
    setItems((buffer) => [item, ...buffer.filter((entry) => entry.sample.id !== item.sample.id)]);
  }, []);

  const decide = useCallback(
    (decision: FocusDecisionBody, reason: string | null) => {
      const item = items[0];
      if (!item) return;
      setItems((buffer) => buffer.slice(1));
      setDone((count) => count + 1);
      setNotice(null);
      const write = writes.current.then(async () => {
        const answer = await sendJson<DecisionAnswer>("/api/focus/decisions", "POST", {
          instructionId: item.sample.id,
          expectedVersion: item.sample.labelVersion,
          decision,
          reason,
        });
        if (answer.ok) {
          const said =
            decision.kind === "confirm" ? `kept the model's label ${labelText(item.sample.model)}` : `relabelled ${labelText(decision.to)}`;
          setNotice({ tone: "ok", text: `Sample ${item.sample.id}: ${said} (version ${answer.value.version}).` });
          return answer.value.changeId;
        }
        history.current = history.current.filter((entry) => entry.item.sample.id !== item.sample.id || entry.changeId !== write);
        setDone((count) => count - 1);
        const reloaded = await freshSample(item);
        putBack(reloaded);
        const conflict = answer.status === 409 ? " It has been reloaded with its current label; decide again." : "";
        setNotice({ tone: "bad", text: `Sample ${item.sample.id} was not saved: ${answer.error}.${conflict}` });
        return "failed" as const;
      });
      writes.current = write;
      history.current.push({ item, changeId: write });
    },
    [items, putBack],
  );

  const skip = useCallback(() => {
    if (items.length === 0) return;
    setItems((buffer) => buffer.slice(1));
    setSkipped((count) => count + 1);
    setNotice(null);
  }, [items.length]);

  const undo = useCallback(() => {
    const last = history.current.pop();
    if (!last) {
      setNotice({ tone: "bad", text: "Nothing to undo in this session." });
      return;
    }
    writes.current = writes.current.then(async () => {
      const changeId = await last.changeId;
      if (changeId === "failed") return;
      if (changeId !== null) {
        const answer = await sendJson<{ changeId: number; version: number }>(`/api/labels/changes/${changeId}/undo`, "POST");
        if (!answer.ok) {
          setNotice({ tone: "bad", text: `Sample ${last.item.sample.id} could not be undone: ${answer.error}.` });
          return;
        }
      }
      setDone((count) => count - 1);
      putBack(await freshSample(last.item));
      setNotice({ tone: "ok", text: `Undone: sample ${last.item.sample.id} is back, to decide again.` });
    });
  }, [putBack]);

  const state: FocusQueueState = {
    current: items[0] ?? null,
    upcoming: items.slice(1, 4),
    buffered: items.length,
    ...{ loading, exhausted, done, skipped, total, notice },
  };
  return { state, decide, skip, undo };
}
