// Consent purposes as people read them: the fixed ones from the API's list, a partner's by its
// code.
import { purposeOneOf0Values } from '@/api/schema';

export const PURPOSES = purposeOneOf0Values;
/** A purpose's label: the fixed ones are translated, a partner's shows the partner code. */
export function purposeLabel(t: (k: string, o?: Record<string, string>) => string, purpose: string) {
  const partner = purpose.match(/^partner_sharing:(.+)$/);
  return partner ? t('consent.partnerPurpose', { code: partner[1] ?? '' }) : t(`consent.purposes.${purpose}`);
}
