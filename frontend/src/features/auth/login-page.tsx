import { Alert, Button, Card, Center, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';

import { api } from '@/api/client';
import { expiryOf, setSession } from '@/lib/session';
import { useSession } from '@/lib/use-session';
import { LanguageSwitch } from '@/components/language-switch';

export function LoginPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const title = `${t('auth.title')} · ${t('app.name')}`;
  useEffect(() => {
    document.title = title;
  }, [title]);

  if (session) return <Navigate to="/" replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const { data, error: problem, response } = await api.POST('/api/v1/auth/login', { body: { username, password } });
    setBusy(false);
    if (data) {
      setSession({ accessToken: data.access_token, refreshToken: data.refresh_token, expiresAt: expiryOf(data.access_token) });
    } else if (response.status === 429) {
      setError(t('auth.locked', { seconds: response.headers.get('Retry-After') ?? '60' }));
    } else {
      setError(problem?.detail ?? t('auth.failed'));
    }
  }

  return (
    <Center mih="100vh" bg="gray.0">
      <Card withBorder shadow="sm" padding="xl" w={380}>
        <form onSubmit={submit}>
          <Stack>
            <div>
              <Title order={1} size="h2">
                {t('app.name')}
              </Title>
              <Text c="dimmed" size="sm">
                {t('app.tagline')}
              </Text>
            </div>
            <TextInput
              label={t('auth.username')}
              name="username"
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              required
              autoFocus
            />
            <PasswordInput
              label={t('auth.password')}
              name="password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              required
            />
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={busy}>
              {t('auth.submit')}
            </Button>
            <LanguageSwitch />
          </Stack>
        </form>
      </Card>
    </Center>
  );
}
