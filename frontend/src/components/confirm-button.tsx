import { Button, Group, Modal, Stack, Text, type ButtonProps } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

type Props = ButtonProps & {
  /** What the button says; also the dialog's title. */
  children: ReactNode;
  /** What will happen, and that it cannot be taken back (or how wide it is). */
  message: ReactNode;
  /** The confirming button's words (default: the button's own). */
  confirmLabel?: ReactNode;
  onConfirm: () => void;
  'data-testid'?: string;
};

/** A button for an irreversible or wide action: it asks first, saying what will happen. */
export function ConfirmButton({
  children,
  message,
  confirmLabel,
  onConfirm,
  color = 'red',
  'data-testid': testId,
  ...button
}: Props) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button color={color} {...button} onClick={open} data-testid={testId}>
        {children}
      </Button>
      <Modal opened={opened} onClose={close} title={children} centered>
        <Stack>
          <Text size="sm">{message}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button
              color={color}
              data-testid={testId ? `${testId}-confirm` : undefined}
              onClick={() => {
                close();
                onConfirm();
              }}
            >
              {confirmLabel ?? children}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
