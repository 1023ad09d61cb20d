// The API as a step calls it to set up what its story needs (users, purchases): the browser then
// shows the rest.
import assert from 'node:assert/strict';

export async function api(base, method, path, token, body) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return res.status === 204 ? null : res.json();
}

export const login = async (base, username, password) =>
  (await api(base, 'POST', '/auth/login', null, { username, password })).access_token;

// A manager of the whole group, made as an admin makes one and approved by a second person.
export async function groupManager(base, password, username, display_name) {
  const admin = await login(base, 'admin', password);
  const group = (await api(base, 'GET', '/units', admin)).items[0].id;
  const made = await api(base, 'POST', '/users', admin, {
    username, display_name, password: 'a-long-enough-password', role: 'manager', unit_id: group,
  });
  await api(base, 'POST', `/user-grants/${made.pending_grant}/approve`, await login(base, 'e2e.approver', password));
}
