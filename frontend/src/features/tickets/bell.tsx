import { ActionIcon, Indicator, Menu, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { formatTime } from '@/lib/format';

import { useMarkRead, useNotifications } from './api';

/** The notification bell: tickets assigned to me, warned, breached, escalated, reopened, closed. */
export function Bell() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const list = useNotifications(true);
  const read = useMarkRead();
  const unread = list.data?.unread ?? 0;
  return (
    <Menu width={320} position="bottom-end" onOpen={() => unread > 0 && read.mutate()}>
      <Menu.Target>
        {/* The menu's button is the target (it carries aria-expanded); the count sits inside it. */}
        <ActionIcon variant="subtle" aria-label={t('tickets.bell', { count: unread })} data-testid="bell">
          <Indicator label={unread} size={16} disabled={unread === 0} offset={-2}>
            <span aria-hidden>🔔</span>
          </Indicator>
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {list.data?.items.length === 0 && <Menu.Label>{t('tickets.noNotifications')}</Menu.Label>}
        {list.data?.items.map((n) => (
          <Menu.Item key={n.id} onClick={() => n.ticket_id && void navigate(`/tickets/${n.ticket_id}`)}>
            <Text size="sm" fw={n.read ? 400 : 600}>
              {t(`tickets.topics.${n.topic}`, { defaultValue: n.topic })}
            </Text>
            <Text size="xs" c="dimmed">
              {formatTime(n.created_at, i18n.language)}
            </Text>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
