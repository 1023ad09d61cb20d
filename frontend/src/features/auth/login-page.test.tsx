import '@/i18n';

import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { setLanguage } from '@/i18n';
import { getSession, setSession } from '@/lib/session';

import { LoginPage } from './login-page';

function renderLogin() {
  return render(
    <MantineProvider>
      <MemoryRouter>
        <LoginPage />
      </MemoryRouter>
    </MantineProvider>,
  );
}

describe('LoginPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setSession(null);
  });

  it('shows the server problem and stays signed out on a failed login', async () => {
    await setLanguage('en');
    const problem = { type: 'x', title: 'Authentication required', status: 401, detail: 'invalid username or password' };
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify(problem), { status: 401, headers: { 'content-type': 'application/problem+json' } }),
      ),
    );
    renderLogin();
    fireEvent.change(screen.getByLabelText(/Username/), { target: { value: 'admin' } });
    fireEvent.change(screen.getByLabelText(/Password/), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('invalid username or password'));
    expect(getSession()).toBeNull();
  });

  it('speaks Chinese when asked', async () => {
    await setLanguage('zh-CN');
    renderLogin();
    expect(await screen.findByRole('button', { name: '登录' })).toBeInTheDocument();
    await setLanguage('en');
  });
});
