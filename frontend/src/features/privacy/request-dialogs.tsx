import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ProblemAlert } from '@/components/problem-alert';

import { useCompleteRequest, useLogRequest, type CopyDelivery, type RequestKind } from './api';
import { copyDeliveryValues, requestKindValues } from '@/api/schema';

const KINDS = requestKindValues;
const DELIVERIES = copyDeliveryValues;

/** Logs what a customer asked for (from the customer's page): the kind and their words. */
export function LogRequestDialog({ customerId, opened, onClose }: { customerId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const log = useLogRequest();
  const [kind, setKind] = useState<RequestKind | null>(null);
  const [details, setDetails] = useState('');
  return (
    <Modal opened={opened} onClose={onClose} title={t('privacy.log')}>
      <Stack>
        <Select
          label={t('privacy.kind')}
          data={KINDS.map((k) => ({ value: k, label: t(`privacy.kinds.${k}`) }))}
          value={kind}
          onChange={(v) => setKind(v as RequestKind | null)}
          required
          data-testid="request-kind"
        />
        {kind && (
          <Text size="sm" c="dimmed">
            {t(`privacy.kindHelp.${kind}`)}
          </Text>
        )}
        <Textarea
          label={t('privacy.details')}
          value={details}
          onChange={(e) => setDetails(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <ProblemAlert error={log.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            disabled={!kind}
            loading={log.isPending}
            data-testid="request-log"
            onClick={() =>
              kind && log.mutate({ customer_id: customerId, kind, details: details.trim() || undefined }, { onSuccess: onClose })
            }
          >
            {t('privacy.log')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Carries a request out, asking for what its kind needs: how the copy went out, what was
 * corrected; deletion and withdrawal say that they cannot be undone. */
export function CompleteRequestDialog({ request, onClose }: { request: { id: string; kind: RequestKind }; onClose: () => void }) {
  const { t } = useTranslation();
  const complete = useCompleteRequest();
  const [delivery, setDelivery] = useState<CopyDelivery | null>(null);
  const [note, setNote] = useState('');
  const kind = request.kind;
  const ready = (kind !== 'access' || delivery) && (kind !== 'correction' || note.trim());
  return (
    <Modal opened onClose={onClose} title={`${t('privacy.complete')} · ${t(`privacy.kinds.${kind}`)}`}>
      <Stack>
        <Alert color={kind === 'deletion' || kind === 'withdrawal' ? 'red' : 'blue'}>
          {t(`privacy.confirmComplete.${kind}`)}
        </Alert>
        {kind === 'access' && (
          <Select
            label={t('privacy.delivery')}
            data={DELIVERIES.map((d) => ({ value: d, label: t(`privacy.deliveries.${d}`) }))}
            value={delivery}
            onChange={(v) => setDelivery(v as CopyDelivery | null)}
            required
            data-testid="request-delivery"
          />
        )}
        <Textarea
          label={kind === 'correction' ? t('privacy.whatCorrected') : t('privacy.note')}
          required={kind === 'correction'}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          autosize
          minRows={2}
          data-testid="request-note"
        />
        <ProblemAlert error={complete.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color={kind === 'deletion' || kind === 'withdrawal' ? 'red' : 'blue'}
            disabled={!ready}
            loading={complete.isPending}
            data-testid="request-complete-confirm"
            onClick={() =>
              complete.mutate(
                { id: request.id, body: { note: note.trim() || undefined, delivery: delivery ?? undefined } },
                { onSuccess: onClose },
              )
            }
          >
            {t('privacy.complete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
