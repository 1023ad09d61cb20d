import { Button, Kbd, Modal, NavLink, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { api } from '@/api/client';
import { unwrap } from '@/api/problem';

type Page = { to: string; label: string };
type Hit = { key: string; label: string; hint: string; to: string };

/** Ctrl+K (⌘K): go to a page or a customer by typing. Customers are searched as the list searches
 * (a name's part, a whole mobile or ID number), masked as the list shows them. */
export function CommandPalette({ pages, customers }: { pages: Page[]; customers: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const trigger = (
    <Button variant="default" size="xs" onClick={() => setOpened(true)} visibleFrom="sm" data-testid="palette-open">
      {t('palette.shortcut')}
    </Button>
  );
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const [term] = useDebouncedValue(q.trim(), 250);
  useHotkeys([['mod+K', () => setOpened(true)]], []);
  const found = useQuery({
    queryKey: ['customers', 'palette', term],
    enabled: opened && customers && term.length >= 2,
    queryFn: async () => unwrap(await api.GET('/api/v1/customers', { params: { query: { q: term, limit: 8, sort: 'name' } } })),
  });
  const needle = q.trim().toLowerCase();
  const hits: Hit[] = [
    ...pages
      .filter((p) => needle && p.label.toLowerCase().includes(needle))
      .map((p) => ({ key: p.to, label: p.label, hint: t('palette.page'), to: p.to })),
    ...(term.length >= 2 ? (found.data?.items ?? []) : []).map((c) => ({
      key: c.id,
      label: c.name,
      hint: c.mobile ?? t('palette.customer'),
      to: `/customers/${c.id}`,
    })),
  ];
  const close = () => {
    setOpened(false);
    setQ('');
    setActive(0);
  };
  const open = (hit: Hit | undefined) => {
    if (!hit) return;
    navigate(hit.to);
    close();
  };
  return (
    <>
      {trigger}
      <Modal opened={opened} onClose={close} title={t('palette.title')} size="lg" data-testid="command-palette">
        <Stack gap="xs">
          <TextInput
            data-autofocus
            aria-label={t('palette.title')}
            placeholder={t('palette.hint')}
            value={q}
            onChange={(e) => {
              setQ(e.currentTarget.value);
              setActive(0);
            }}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, hits.length - 1));
              if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
              if (e.key === 'Enter') open(hits[active]);
            }}
          />
          <div role="listbox" aria-label={t('palette.results')}>
            {hits.map((h, i) => (
              <NavLink
                key={h.key}
                role="option"
                aria-selected={i === active}
                active={i === active}
                label={h.label}
                description={h.hint}
                onClick={() => open(h)}
              />
            ))}
          </div>
          {needle && hits.length === 0 && !found.isFetching && (
            <Text size="sm" c="dimmed">
              {t('palette.nothing')}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            <Kbd>↑</Kbd> <Kbd>↓</Kbd> {t('palette.move')} · <Kbd>Enter</Kbd> {t('palette.open')} · <Kbd>Esc</Kbd>{' '}
            {t('palette.close')}
          </Text>
        </Stack>
      </Modal>
    </>
  );
}
