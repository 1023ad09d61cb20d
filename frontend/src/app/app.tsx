import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';

import { Center, Loader, MantineProvider } from '@mantine/core';

import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';

import { refreshSession } from '@/api/client';
import { toast, type ToastMeta } from '@/lib/notify';
import { getSession, storedRefreshToken, subscribe } from '@/lib/session';

import { router } from './router';
import { contrast, themeIn } from './theme';

// Every save says so: a toast after each successful change, unless its screen shows the outcome.
const mutationCache = new MutationCache({
  onSuccess: (_data, _vars, _ctx, mutation) => {
    const meta = mutation.meta as ToastMeta | undefined;
    if (meta?.toast !== false) toast(meta?.toast ?? 'common.saved');
  },
});

const queryClient = new QueryClient({
  mutationCache,
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 10_000 } },
});

// Whatever the last user loaded must not show through to the next one.
subscribe(() => {
  if (getSession() === null) queryClient.clear();
});

export function App() {
  // A reload keeps the session of this tab: trade the stored refresh token for a new access token.
  const [ready, setReady] = useState(() => storedRefreshToken() === null);
  useEffect(() => {
    if (!ready) void refreshSession().finally(() => setReady(true));
  }, [ready]);
  const { t } = useTranslation();
  const theme = useMemo(() => themeIn(t('common.close')), [t]);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={contrast}>
      <Notifications position="top-center" />
      <QueryClientProvider client={queryClient}>
        {ready ? (
          <RouterProvider router={router} />
        ) : (
          <Center mih="100vh">
            <Loader />
          </Center>
        )}
      </QueryClientProvider>
    </MantineProvider>
  );
}
