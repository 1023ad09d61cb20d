import { Button, Container, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';
import { ProblemAlert } from '@/components/problem-alert';
import { formatTime } from '@/lib/format';
import { useSession } from '@/lib/use-session';

/** The regulator report as a printable page (PIPL art. 57), without the app's navigation. */
export function IncidentReportPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const session = useSession();
  const report = useQuery({
    queryKey: ['incidents', id, 'report'],
    enabled: !!session,
    queryFn: async () => unwrap(await api.GET('/api/v1/incidents/{id}/report', { params: { path: { id } } })),
  });
  if (!session) return <Navigate to="/login" replace />;
  const r = report.data;
  const at = (v?: string | null) => (v ? formatTime(v, i18n.language) : '—');
  const row = (label: string, value: React.ReactNode) => (
    <Table.Tr>
      <Table.Th w="28%">{label}</Table.Th>
      <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{value}</Table.Td>
    </Table.Tr>
  );
  return (
    <Container size="md" py="lg">
      <Group justify="space-between" className="no-print" mb="md">
        <Button component={Link} to={`/incidents/${id}`} variant="subtle">
          ←
        </Button>
        <Button onClick={() => window.print()}>{t('incidents.print')}</Button>
      </Group>
      <style>{'@media print { .no-print { display: none !important; } }'}</style>
      <ProblemAlert error={report.error} />
      {r && (
        <Stack data-testid="incident-report">
          <Title order={1} size="h2">
            {t('incidents.reportTitle')}
          </Title>
          <Text size="sm">{t('incidents.generated', { at: at(r.generated_at), controller: r.controller })}</Text>
          <Table withTableBorder withColumnBorders>
            <Table.Tbody>
              {row(t('incidents.titleField'), r.incident.title)}
              {row(t('incidents.category'), t(`incidents.categories.${r.incident.category}`))}
              {row(t('incidents.severity'), t(`incidents.severities.${r.incident.severity}`))}
              {row(t('incidents.status'), t(`incidents.statuses.${r.incident.status}`))}
              {row(t('incidents.occurredAt'), at(r.incident.occurred_at))}
              {row(t('incidents.detectedAt'), at(r.incident.detected_at))}
              {row(t('incidents.reportedAt'), at(r.incident.reported_at))}
              {row(t('incidents.fields'), r.incident.fields.map((f) => t(`incidents.fieldNames.${f}`)).join('、'))}
              {row(t('incidents.description'), r.incident.description)}
              {row(t('incidents.cause'), r.incident.cause || '—')}
              {row(t('incidents.harm'), r.incident.harm || '—')}
              {row(t('incidents.advice'), r.incident.advice || '—')}
              {row(t('incidents.contact'), r.incident.contact)}
              {row(t('incidents.affected'), String(r.incident.affected))}
            </Table.Tbody>
          </Table>
          <Title order={4}>{t('incidents.byUnit')}</Title>
          <Table withTableBorder>
            <Table.Tbody>
              {r.affected_by_unit.map((u) => (
                <Table.Tr key={u.unit_id}>
                  <Table.Td>{u.unit_name}</Table.Td>
                  <Table.Td>{u.count}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={4}>{t('incidents.timeline')}</Title>
          <Table withTableBorder>
            <Table.Tbody>
              {r.actions.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{at(a.taken_at)}</Table.Td>
                  <Table.Td>{t(`incidents.actions.${a.kind}`)}</Table.Td>
                  <Table.Td>{a.description}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={4}>{t('incidents.notifications')}</Title>
          <Table withTableBorder>
            <Table.Tbody>
              {r.notifications.map((n) => (
                <Table.Tr key={`${n.channel}-${n.status}`}>
                  <Table.Td>{t(`incidents.channels.${n.channel}`)}</Table.Td>
                  <Table.Td>{t(`incidents.notifyStatus.${n.status}`)}</Table.Td>
                  <Table.Td>{n.count}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Container>
  );
}
