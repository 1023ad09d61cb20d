import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { Ticket } from './api';

const COLORS = { on_track: 'teal', warned: 'yellow', breached: 'red', escalated: 'red' } as const;

/** A ticket's resolution clock: what is left or how late it is, in hours and minutes, with its
 * state; still while the ticket waits on the customer, done once it is resolved. */
export function SlaDue({ t: ticket, now }: { t: Ticket; now: number }) {
  const { t } = useTranslation();
  const sla = ticket.sla;
  if (sla.resolved_at || ticket.status === 'cancelled') {
    return (
      <Text size="sm" c="dimmed">
        {t('tickets.sla.resolved')}
      </Text>
    );
  }
  if (sla.paused) {
    return (
      <Text size="sm" c="dimmed">
        {t('tickets.sla.paused')}
      </Text>
    );
  }
  const minutes = Math.round((new Date(sla.resolution_due).getTime() - now) / 60_000);
  const span = (m: number) => t('tickets.sla.span', { hours: Math.floor(m / 60), minutes: m % 60 });
  return (
    <Badge color={COLORS[sla.state]} variant="light" data-testid="sla-due">
      {minutes >= 0 ? t('tickets.sla.left', { span: span(minutes) }) : t('tickets.sla.late', { span: span(-minutes) })}
    </Badge>
  );
}
