import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { ProblemAlert } from '@/components/problem-alert';
import { useSaveSegment, useSegments, type SegmentRule } from '@/features/segments';

/** The churn-risk customers as a segment (made once, then reused). */
export const CHURN_RISK_RULE: SegmentRule = { field: 'lifecycle', op: 'in', value: ['churn_risk'] };

/** From the churn queue to a win-back campaign (MKT-6): the campaign form opens with the
 * churn-risk segment as its target; the messages it sends are recorded on each warning. */
export function WinbackButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const segments = useSegments();
  const open = (id: string) => void navigate(`/campaigns?new=1&segment=${encodeURIComponent(id)}`);
  const save = useSaveSegment(open);
  const existing = segments.data?.find((s) => JSON.stringify(s.rule) === JSON.stringify(CHURN_RISK_RULE));
  return (
    <>
      <Button
        variant="light"
        loading={save.isPending || segments.isLoading}
        onClick={() => (existing ? open(existing.id) : save.mutate({ name: t('churn.winbackSegment'), rule: CHURN_RISK_RULE }))}
        data-testid="churn-winback"
      >
        {t('churn.winbackCampaign')}
      </Button>
      <ProblemAlert error={save.error} />
    </>
  );
}
