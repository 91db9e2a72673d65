/** Rows per page on every browse list. */
export const PER_PAGE = 50;

/** One entry of the pager's row of page numbers: a page, the current one, or a gap (…). */
export interface PagerLink {
  page: number | null;
  url: string | null;
  current: boolean;
  gap: boolean;
}

/** What views/partials/pager.hbs expects. */
export interface PagerView {
  page: number;
  pages: number;
  total: number;
  previousUrl: string | null;
  nextUrl: string | null;
  links: PagerLink[];
  /** What the pager says instead of "page 2 of 5, 230 in all", when the rows are not single records. */
  summary?: string;
}

/** Pages either side of the current one that the row of numbers names; the first and last are always named. */
const NEIGHBOURS = 2;

/**
 * The page numbers to show for page `page` of `pages`: the first, the last, the current one and
 * its neighbours, with a gap (null) where pages are left out. A gap never stands for one page:
 * that page is named instead.
 */
export function pageNumbers(page: number, pages: number): Array<number | null> {
  const named = new Set([1, pages]);
  for (let n = page - NEIGHBOURS; n <= page + NEIGHBOURS; n++) if (n >= 1 && n <= pages) named.add(n);
  const sorted = [...named].sort((a, b) => a - b);
  const result: Array<number | null> = [];
  for (const n of sorted) {
    const last = result[result.length - 1];
    if (typeof last === 'number' && n - last === 2) result.push(n - 1);
    else if (typeof last === 'number' && n - last > 2) result.push(null);
    result.push(n);
  }
  return result;
}

/** How many pages `total` rows fill; an empty list is still one (empty) page. */
export function pageCount(total: number, perPage: number = PER_PAGE): number {
  return Math.max(1, Math.ceil(total / perPage));
}

/** A requested page pulled into 1..pages, so a stale link past the end shows the last page. */
export function clampPage(page: number, total: number, perPage: number = PER_PAGE): number {
  return Math.min(Math.max(1, Math.floor(page)), pageCount(total, perPage));
}

/**
 * Builds the URL of page n of `path`, keeping every other query parameter as it was (the
 * search text, the other list's page). Page 1 drops the parameter, so there is one URL for it.
 */
export function pageUrlBuilder(path: string, query: Record<string, unknown>, param = 'page'): (page: number) => string {
  return (page) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (key === param) continue;
      if (typeof value === 'string') params.append(key, value);
      else if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') params.append(key, item);
    }
    if (page > 1) params.set(param, String(page));
    const search = params.toString();
    return search === '' ? path : `${path}?${search}`;
  };
}

/** The pager view model, or null when everything fits on one page (the partial then shows nothing). */
export function pagerView(
  page: number,
  total: number,
  perPage: number,
  urlFor: (page: number) => string,
): PagerView | null {
  const pages = pageCount(total, perPage);
  if (pages <= 1) return null;
  return {
    page,
    pages,
    total,
    previousUrl: page > 1 ? urlFor(page - 1) : null,
    nextUrl: page < pages ? urlFor(page + 1) : null,
    links: pageNumbers(page, pages).map((n) => ({
      page: n,
      url: n === null || n === page ? null : urlFor(n),
      current: n === page,
      gap: n === null,
    })),
  };
}
