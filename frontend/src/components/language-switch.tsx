import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { LANGUAGES, setLanguage } from '@/i18n';

export function LanguageSwitch() {
  const { i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={i18n.t('common.language')}
      value={i18n.language}
      onChange={(lang) => void setLanguage(lang)}
      data={LANGUAGES.map((l) => ({ value: l.value, label: l.label }))}
    />
  );
}
