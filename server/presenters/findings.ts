import type { Finding } from '../entities/index.ts';
import { t, type Locale } from '../i18n/index.ts';
import { findingText } from '../i18n/phrase.ts';
import { beijingTime } from './time.ts';

/** A finding as one row of a list (the findings page, an agent's page, a message, a notice). */
export function findingRowView(finding: Finding, locale: Locale) {
  return {
    id: finding.id,
    url: `/findings/${finding.id}`,
    rule: finding.rule,
    ruleText: t(locale, `rule.${finding.rule}`),
    severity: finding.severity,
    severityText: t(locale, `severity.${finding.severity}`),
    status: finding.status,
    statusText: t(locale, `findings.status.${finding.status}`),
    detail: findingText(locale, finding),
    agent: finding.agentUscc,
    agentUrl: finding.agentUscc ? `/agents/${finding.agentUscc}` : null,
    occurredAt: finding.occurredAt ? beijingTime(finding.occurredAt).slice(0, 16) : '',
  };
}
