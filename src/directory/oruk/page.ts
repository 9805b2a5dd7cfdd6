/**
 * The ORUK 3.0 page envelope and the streamed (ndjson) alternative. Pages count from 1; a page past
 * the end is an empty page (not an error), with the totals still telling the caller where the end is.
 */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { DEFAULT_PER_PAGE } from './params.ts';

export interface Paging {
  page: number;
  perPage: number;
  limit: number;
  offset: number;
}

/** Page number and size from the query, with the defaults. */
export function paging(query: { page?: number | undefined; per_page?: number | undefined }): Paging {
  const page = query.page ?? 1;
  const perPage = query.per_page ?? DEFAULT_PER_PAGE;
  return { page, perPage, limit: perPage, offset: (page - 1) * perPage };
}

export interface Page<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}

/** All seven envelope fields, worked out from the total and the page asked for. */
export function pageOf<T>(contents: T[], totalItems: number, p: Pick<Paging, 'page' | 'perPage'>): Page<T> {
  const totalPages = Math.ceil(totalItems / p.perPage);
  return {
    total_items: totalItems,
    total_pages: totalPages,
    page_number: p.page,
    size: contents.length,
    first_page: p.page === 1,
    last_page: p.page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

/**
 * Sends every item as one JSON document per line (`application/x-ndjson`), unpaginated. `batches`
 * yields the items a batch at a time, so a large directory is never held in memory at once.
 */
export function sendNdjson(reply: FastifyReply, batches: AsyncIterable<unknown[]>): FastifyReply {
  async function* lines() {
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      yield batch.map((item) => JSON.stringify(item)).join('\n') + '\n';
    }
  }
  return reply.type('application/x-ndjson; charset=utf-8').send(Readable.from(lines()));
}
