"use client";

import { useState, type FormEvent } from "react";
import { LABEL_SOURCES, SAMPLE_STATUSES, SAMPLE_TIERS, sampleFiltersSchema, type SampleFilters } from "@/lib/samples/sample-query";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { STATUS_NAMES } from "@/components/samples/sample-format";
import { ProblemAlert } from "@/components/problem-alert";

const RANGES = [
  { key: "quality", name: "Quality", min: 1, max: 10, step: 1 },
  { key: "difficulty", name: "Difficulty", min: 1, max: 10, step: 1 },
  { key: "relevance", name: "Relevance", min: 1, max: 6, step: 1 },
  { key: "reward", name: "Reward", min: undefined, max: undefined, step: "any" },
] as const;

type RangeKey = (typeof RANGES)[number]["key"];
type RangeText = Record<RangeKey, { min: string; max: string }>;

const NONE = "None";
const SOURCE_NAMES = { effective: "in force", model: "model's", curated: "curated" } as const;

function numberOrUndefined(text: string): number | undefined {
  return text.trim() === "" ? undefined : Number(text);
}

function triState(value: boolean | undefined): string {
  return value === undefined ? "" : String(value);
}

function fromTriState(value: string): boolean | undefined {
  return value === "" ? undefined : value === "true";
}

function selectedValues(select: HTMLSelectElement): string[] {
  return [...select.selectedOptions].map((option) => option.value);
}

export interface SampleFiltersFormProps {
  filters: SampleFilters;
  taxonomy: Taxonomy;
  runs: { id: string; name: string }[];
  onApply: (filters: SampleFilters) => void;
  /** Where given, a Close button folds the panel away. */
  onClose?: () => void;
  /** False where the page has its own search box (the samples table's filter bar). */
  showSearch?: boolean;
}

const FIELD_NAMES: Record<string, string> = { quality: "Quality", difficulty: "Difficulty", relevance: "Relevance", reward: "Reward" };

/** A refused filter in the curator's words: the field's name and what is wrong with it. */
function describeFilterIssue(issue: { path: PropertyKey[]; message: string; code: string }): string {
  const field = FIELD_NAMES[String(issue.path[0])] ?? String(issue.path[0] ?? "Filter");
  const bound = issue.path[1] === "min" ? " minimum" : issue.path[1] === "max" ? " maximum" : "";
  if (issue.message === "min must not exceed max") return `${field}: the minimum must not be above the maximum`;
  if (issue.code === "too_small" || issue.code === "too_big" || issue.code === "invalid_type") return `${field}${bound} is out of range`;
  return `${field}${bound}: ${issue.message}`;
}

/** Every filter the server applies; validated with the lib's own schema before the URL changes. */
export function SampleFiltersForm({ filters, taxonomy, runs, onApply, onClose, showSearch = true }: SampleFiltersFormProps) {
  const [text, setText] = useState(filters.text ?? "");
  const [ranges, setRanges] = useState<RangeText>(() => {
    const entries = RANGES.map(({ key }) => [key, { min: filters[key]?.min?.toString() ?? "", max: filters[key]?.max?.toString() ?? "" }]);
    return Object.fromEntries(entries) as RangeText;
  });
  const [tiers, setTiers] = useState<string[]>(filters.tier ?? []);
  const [statuses, setStatuses] = useState<string[]>(filters.status ?? []);
  const [overridden, setOverridden] = useState(triState(filters.overridden));
  const [details, setDetails] = useState(triState(filters.mentionsDetails));
  const [labelSource, setLabelSource] = useState<string>(filters.labelSource);
  const [primaries, setPrimaries] = useState<string[]>(filters.primary ?? []);
  const [secondaries, setSecondaries] = useState<string[]>((filters.secondary ?? []).map((name) => name ?? NONE));
  const [runIds, setRunIds] = useState<string[]>(filters.runIds ?? []);
  const [problem, setProblem] = useState<string | null>(null);

  function toggle(list: string[], value: string, on: boolean): string[] {
    return on ? [...list, value] : list.filter((item) => item !== value);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const candidate = {
      text: text.trim() === "" ? undefined : text.trim(),
      ...Object.fromEntries(
        RANGES.map(({ key }) => {
          const min = numberOrUndefined(ranges[key].min);
          const max = numberOrUndefined(ranges[key].max);
          return [key, min === undefined && max === undefined ? undefined : { min, max }];
        }),
      ),
      tier: tiers.length > 0 ? tiers : undefined,
      status: statuses.length > 0 ? statuses : undefined,
      overridden: fromTriState(overridden),
      mentionsDetails: fromTriState(details),
      labelSource,
      primary: primaries.length > 0 ? primaries : undefined,
      secondary: secondaries.length > 0 ? secondaries.map((name) => (name === NONE ? null : name)) : undefined,
      runIds: runIds.length > 0 ? runIds : undefined,
    };
    const parsed = sampleFiltersSchema.safeParse(candidate);
    if (!parsed.success) {
      setProblem(parsed.error.issues.map(describeFilterIssue).join("; "));
      return;
    }
    setProblem(null);
    onApply(parsed.data);
  }

  const secondaryNames = taxonomy.tree.flatMap((primary) =>
    primary.secondaries.map((secondary) => ({ name: secondary.name, parent: primary.name })),
  );

  return (
    <form id="sample-filters" className="panel filters" aria-label="Sample filters" onSubmit={submit}>
      {showSearch ? (
        <label className="filters-search">
          Search instructions and responses
          <input type="search" value={text} onChange={(event) => setText(event.target.value)} placeholder='e.g. insulin -"type 1"' />
        </label>
      ) : null}
      {RANGES.map(({ key, name, min, max, step }) => (
        <fieldset key={key} className="range">
          <legend>{name}</legend>
          <label>
            {name} min
            <input
              type="number"
              min={min}
              max={max}
              step={step}
              value={ranges[key].min}
              onChange={(event) => setRanges({ ...ranges, [key]: { ...ranges[key], min: event.target.value } })}
            />
          </label>
          <label>
            {name} max
            <input
              type="number"
              min={min}
              max={max}
              step={step}
              value={ranges[key].max}
              onChange={(event) => setRanges({ ...ranges, [key]: { ...ranges[key], max: event.target.value } })}
            />
          </label>
        </fieldset>
      ))}
      <fieldset>
        <legend>Tier</legend>
        {SAMPLE_TIERS.map((tier) => (
          <label key={tier} className="check">
            <input
              type="checkbox"
              checked={tiers.includes(tier)}
              onChange={(event) => setTiers(toggle(tiers, tier, event.target.checked))}
            />
            {tier}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Kept / filter reason</legend>
        {SAMPLE_STATUSES.map((status) => (
          <label key={status} className="check">
            <input
              type="checkbox"
              checked={statuses.includes(status)}
              onChange={(event) => setStatuses(toggle(statuses, status, event.target.checked))}
            />
            {STATUS_NAMES[status]}
          </label>
        ))}
      </fieldset>
      <label>
        Overridden
        <select value={overridden} onChange={(event) => setOverridden(event.target.value)}>
          <option value="">any</option>
          <option value="true">curated override</option>
          <option value="false">model label only</option>
        </select>
      </label>
      <label>
        Mentions details
        <select value={details} onChange={(event) => setDetails(event.target.value)}>
          <option value="">any</option>
          <option value="true">yes</option>
          <option value="false">no</option>
        </select>
      </label>
      <label>
        Department label
        <select value={labelSource} onChange={(event) => setLabelSource(event.target.value)}>
          {LABEL_SOURCES.map((source) => (
            <option key={source} value={source}>
              {SOURCE_NAMES[source]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Primary departments
        <select multiple size={4} value={primaries} onChange={(event) => setPrimaries(selectedValues(event.target))}>
          {taxonomy.tree.map((primary) => (
            <option key={primary.id} value={primary.name}>
              {primary.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Secondary departments
        <select multiple size={4} value={secondaries} onChange={(event) => setSecondaries(selectedValues(event.target))}>
          <option value={NONE}>None</option>
          {secondaryNames.map(({ name, parent }) => (
            <option key={`${parent}/${name}`} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Runs
        <select multiple size={4} value={runIds} onChange={(event) => setRunIds(selectedValues(event.target))}>
          {runs.map((run) => (
            <option key={run.id} value={run.id}>
              {run.name}
            </option>
          ))}
        </select>
      </label>
      <div className="filters-actions">
        <button type="submit">Apply filters</button>
        {onClose ? (
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
        ) : null}
        <ProblemAlert problem={problem} />
      </div>
    </form>
  );
}
