// Feedback after an action: a short toast in the UI's language.
import { notifications } from '@mantine/notifications';
import i18n from 'i18next';

/** What a mutation's `meta` may say about its toast: a message key, or `false` for none (when
 * the screen itself shows the outcome, e.g. a job's progress). */
export type ToastMeta = { toast?: string | false };

export function toast(key: string, options?: Record<string, unknown>) {
  notifications.show({
    message: i18n.t(key, options),
    color: 'green',
    autoClose: 3000,
    closeButtonProps: { 'aria-label': i18n.t('common.close') },
  });
}
