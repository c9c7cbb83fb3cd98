"use client";

import type { SampleFilters } from "@/lib/samples/sample-query";
import { STATUS_NAMES } from "@/components/samples/sample-format";

type RangeKey = "quality" | "difficulty" | "relevance" | "reward";

export interface FilterChip {
  key: string;
  text: string;
  /** The filters without this one. */
  without: SampleFilters;
}

const RANGE_NAMES: Record<RangeKey, string> = { quality: "Quality", difficulty: "Difficulty", relevance: "Relevance", reward: "Reward" };
const SOURCE_NAMES = { effective: "label in force", model: "model's label", curated: "curated label" } as const;

function rangeText(name: string, range: { min?: number; max?: number }): string {
  if (range.min !== undefined && range.max !== undefined) return `${name} ${range.min}–${range.max}`;
  if (range.min !== undefined) return `${name} ≥ ${range.min}`;
  return `${name} ≤ ${range.max}`;
}

function listText(values: readonly string[], limit = 2): string {
  return values.length <= limit ? values.join(", ") : `${values.slice(0, limit).join(", ")} +${values.length - limit}`;
}

/** One chip per active filter, each with the filters that remain once it is removed. */
export function filterChips(filters: SampleFilters, runNames: Record<string, string>): FilterChip[] {
  const chips: FilterChip[] = [];
  const drop = (key: keyof SampleFilters): SampleFilters => ({ ...filters, [key]: undefined });
  if (filters.text) chips.push({ key: "text", text: `Search “${filters.text}”`, without: drop("text") });
  for (const key of Object.keys(RANGE_NAMES) as RangeKey[]) {
    const range = filters[key];
    if (range && (range.min !== undefined || range.max !== undefined))
      chips.push({ key, text: rangeText(RANGE_NAMES[key], range), without: drop(key) });
  }
  if (filters.tier) chips.push({ key: "tier", text: `Tier: ${listText(filters.tier)}`, without: drop("tier") });
  if (filters.status)
    chips.push({
      key: "status",
      text: `Outcome: ${listText(filters.status.map((status) => STATUS_NAMES[status]))}`,
      without: drop("status"),
    });
  if (filters.overridden !== undefined)
    chips.push({ key: "overridden", text: filters.overridden ? "Curated override" : "Model label only", without: drop("overridden") });
  if (filters.mentionsDetails !== undefined) {
    chips.push({ key: "details", text: `Mentions details: ${filters.mentionsDetails ? "yes" : "no"}`, without: drop("mentionsDetails") });
  }
  const source = filters.labelSource === "effective" ? "" : ` (${SOURCE_NAMES[filters.labelSource]})`;
  if (filters.primary) chips.push({ key: "primary", text: `Primary${source}: ${listText(filters.primary)}`, without: drop("primary") });
  if (filters.secondary) {
    chips.push({
      key: "secondary",
      text: `Secondary${source}: ${listText(filters.secondary.map((name) => name ?? "None"))}`,
      without: drop("secondary"),
    });
  }
  if (filters.labelSource !== "effective" && !filters.primary && !filters.secondary) {
    chips.push({
      key: "labelSource",
      text: `Departments from the ${SOURCE_NAMES[filters.labelSource]}`,
      without: { ...filters, labelSource: "effective" },
    });
  }
  if (filters.runIds)
    chips.push({
      key: "runs",
      text: `Run: ${listText(filters.runIds.map((id) => runNames[id] ?? id.slice(0, 8)))}`,
      without: drop("runIds"),
    });
  if (filters.ids) chips.push({ key: "ids", text: `${filters.ids.length} chosen samples`, without: drop("ids") });
  return chips;
}

export function FilterChips({
  chips,
  onRemove,
  onClear,
}: {
  chips: FilterChip[];
  onRemove: (without: SampleFilters) => void;
  onClear: () => void;
}) {
  if (chips.length === 0) return <span className="muted small">No filter: every sample</span>;
  return (
    <ul className="filter-chips" aria-label="Active filters">
      {chips.map((chip) => (
        <li key={chip.key} className="chip">
          <span className="chip-text" title={chip.text}>
            {chip.text}
          </span>
          <button type="button" className="chip-remove" aria-label={`Remove filter ${chip.text}`} onClick={() => onRemove(chip.without)}>
            ×
          </button>
        </li>
      ))}
      {chips.length > 1 ? (
        <li>
          <button type="button" className="link-button" onClick={onClear}>
            Clear all
          </button>
        </li>
      ) : null}
    </ul>
  );
}
