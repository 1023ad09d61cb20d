// RFC 9457 problem documents from the API, as a typed error.
import type { components } from './schema';

export type Problem = components['schemas']['Problem'];

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }

  get status(): number {
    return this.problem.status;
  }

  /** Field errors keyed by field name, for forms. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) out[e.field] ??= e.message;
    return out;
  }
}

export function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).status === 'number' &&
    typeof (value as Problem).title === 'string'
  );
}

/** Unwraps an openapi-fetch result: the data, or an ApiProblem. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const err = result.error;
    throw new ApiProblem(
      isProblem(err)
        ? err
        : { type: 'about:blank', title: result.response.statusText || 'Error', status: result.response.status },
    );
  }
  return result.data as T;
}
