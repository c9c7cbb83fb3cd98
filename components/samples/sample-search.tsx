"use client";

import { useState, type FormEvent } from "react";

/** The search box of the compact filter bar: Enter searches, an emptied box clears the search. */
export function SampleSearch({ text, onSearch }: { text: string; onSearch: (text: string | undefined) => void }) {
  const [value, setValue] = useState(text);
  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = value.trim().slice(0, 500);
    onSearch(trimmed === "" ? undefined : trimmed);
  }
  return (
    <form role="search" className="sample-search" aria-label="Search samples" onSubmit={submit}>
      <input
        type="search"
        aria-label="Search instructions and responses"
        value={value}
        onChange={(event) => setValue(event.target.value)}
        placeholder='Search, e.g. insulin -"type 1"'
      />
    </form>
  );
}
