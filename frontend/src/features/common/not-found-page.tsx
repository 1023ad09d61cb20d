import { Button, Card, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** An address that leads nowhere: say so, and offer the way back. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Card withBorder maw={520}>
      <Stack gap="sm">
        <Title order={1} size="h3">
          {t('notFound.title')}
        </Title>
        <Text c="dimmed">{t('notFound.body')}</Text>
        <Button component={Link} to="/" variant="light" w="fit-content">
          {t('notFound.home')}
        </Button>
      </Stack>
    </Card>
  );
}
