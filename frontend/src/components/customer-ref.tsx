import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { components } from '@/api/schema';

type Ref = components['schemas']['CustomerRef'];

/** A customer named wherever another record refers to them: the name as the server masked it for
 * the reader, linked to the customer's page; a record that is gone says so. */
export function CustomerRef({ customer }: { customer: Ref | null | undefined }) {
  const { t } = useTranslation();
  if (!customer) {
    return (
      <Text size="sm" c="dimmed" span>
        {t('common.customerGone')}
      </Text>
    );
  }
  return (
    <Anchor component={Link} to={`/customers/${customer.id}`} size="sm">
      {customer.name}
    </Anchor>
  );
}
