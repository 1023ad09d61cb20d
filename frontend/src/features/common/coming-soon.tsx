import { Card, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function ComingSoon({ title }: { title: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder>
      <Title order={3}>{t(title)}</Title>
      <Text c="dimmed">{t('common.comingSoon')}</Text>
    </Card>
  );
}
