import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { ApiProblem } from '@/api/problem';

export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const problem = error instanceof ApiProblem ? error.problem : null;
  return (
    <Alert color="red" title={problem?.title ?? t('common.error')} role="alert">
      {problem?.detail && <Text size="sm">{problem.detail}</Text>}
      {problem?.errors?.map((e) => (
        <Text size="sm" key={e.field + e.code}>
          {e.message}
        </Text>
      ))}
      {problem?.instance && (
        <Text size="xs" c="dimmed">
          {t('common.requestId')}: {problem.instance}
        </Text>
      )}
    </Alert>
  );
}
