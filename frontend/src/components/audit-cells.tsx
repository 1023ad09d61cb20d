import { Code, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Who did it: the person by name with their role, or what acted (a key, the system). */
export function ActorCell({ name, kind, role }: { name?: string | null; kind: string; role?: string | null }) {
  const { t } = useTranslation();
  return (
    <>
      {name ?? t(`audit.kinds.${kind}`, { defaultValue: kind })}
      {role ? (
        <Text size="xs" c="dimmed">
          {t(`roles.${role}`)}
        </Text>
      ) : null}
    </>
  );
}

/** What was done: the action in the UI's language, its code beneath for those who search by it. */
export function ActionCell({ action, purpose }: { action: string; purpose?: string | null }) {
  const { t } = useTranslation();
  return (
    <>
      {t(`auditActions.${action}`, { defaultValue: action })}
      {purpose ? ` · ${t(`enums.purpose.${purpose}`, { defaultValue: purpose })}` : ''}
      <Text size="xs" c="dimmed">
        <Code>{action}</Code>
      </Text>
    </>
  );
}

/** The fields an entry names, in words where they are customer fields or consent purposes. */
export function useFieldWords() {
  const { t } = useTranslation();
  return (fields: string[]) =>
    fields
      .map((f) => t(`incidents.fieldNames.${f}`, { defaultValue: t(`enums.purpose.${f}`, { defaultValue: f }) }))
      .join('、') || '—';
}
