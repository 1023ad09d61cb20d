import { describe, expect, it } from 'vitest';

import { ApiProblem, isProblem, unwrap } from './problem';

describe('problems', () => {
  it('recognises problem documents', () => {
    expect(isProblem({ type: 'x', title: 'Invalid request', status: 422 })).toBe(true);
    expect(isProblem({ message: 'nope' })).toBe(false);
  });

  it('turns field errors into a map for forms', () => {
    const p = new ApiProblem({
      type: 'x',
      title: 'Invalid request',
      status: 422,
      errors: [
        { field: 'username', code: 'length', message: 'too short' },
        { field: 'username', code: 'format', message: 'bad chars' },
        { field: 'password', code: 'length', message: 'too short' },
      ],
    });
    expect(p.fieldErrors()).toEqual({ username: 'too short', password: 'too short' });
  });

  it('unwraps data or throws the problem', () => {
    const ok = new Response(null, { status: 200 });
    expect(unwrap({ data: 42, response: ok })).toBe(42);
    const bad = new Response(null, { status: 404, statusText: 'Not Found' });
    expect(() => unwrap({ error: { type: 'x', title: 'Not found', status: 404 }, response: bad })).toThrow(ApiProblem);
    try {
      unwrap({ error: 'not json', response: bad });
    } catch (e) {
      expect((e as ApiProblem).status).toBe(404);
    }
  });
});
