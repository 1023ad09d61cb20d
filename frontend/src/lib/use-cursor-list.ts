import { useInfiniteQuery } from '@tanstack/react-query';

export type CursorPage<T> = { items: T[]; next_cursor?: string | null };

/** A keyset-paginated list: pages are fetched with the previous page's `next_cursor`. */
export function useCursorList<T>(
  key: readonly unknown[],
  fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>,
  enabled = true,
) {
  const query = useInfiniteQuery({
    queryKey: key,
    enabled,
    // A list is read afresh whenever it is shown again: imports, merges and other people's
    // changes land behind it, and a list showing yesterday's rows misleads.
    staleTime: 0,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return { ...query, items };
}
