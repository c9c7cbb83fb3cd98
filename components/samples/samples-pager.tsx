import { MAX_PAGE_SIZE } from "@/lib/samples/sample-query";

const PAGE_SIZES = [50, 100, 200, MAX_PAGE_SIZE];

export interface PagerProps {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  limit: number;
  onPrevious: () => void;
  onNext: () => void;
  onLimit: (limit: number) => void;
}

/** Keyset paging: forward by the server's cursor, back by the cursors kept in the URL; never an offset. */
export function SamplesPager({ page, hasPrevious, hasNext, limit, onPrevious, onNext, onLimit }: PagerProps) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="secondary" onClick={onPrevious} disabled={!hasPrevious}>
        Previous page
      </button>
      <span>Page {page}</span>
      <button type="button" className="secondary" onClick={onNext} disabled={!hasNext}>
        Next page
      </button>
      <label>
        Rows per page{" "}
        <select value={limit} onChange={(event) => onLimit(Number(event.target.value))}>
          {(PAGE_SIZES.includes(limit) ? PAGE_SIZES : [...PAGE_SIZES, limit].sort((a, b) => a - b)).map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
