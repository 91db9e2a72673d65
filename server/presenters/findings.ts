import type { Finding } from '../entities/index.ts';
import { t, type Locale } from '../i18n/index.ts';
import { findingText } from '../i18n/phrase.ts';
import type { FindingNames } from '../services/audit/findings.ts';
import { beijingTime } from './time.ts';

const NO_NAMES: FindingNames = { agents: new Map(), entities: new Map(), carriers: new Map() };

/**
 * A finding as one row of a list (the findings page, an agent's page, a message, a notice). The
 * agent and carrier are named when `names` knows them; a page without names shows the USCC.
 */
export function findingRowView(finding: Finding, locale: Locale, names: FindingNames = NO_NAMES) {
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
    agentName: finding.agentUscc ? (names.agents.get(finding.agentUscc) ?? null) : null,
    agentUrl: finding.agentUscc ? `/agents/${finding.agentUscc}` : null,
    carrier: finding.rootCarrierId !== null ? (names.carriers.get(finding.rootCarrierId) ?? null) : null,
    occurredAt: finding.occurredAt ? beijingTime(finding.occurredAt).slice(0, 16) : '',
  };
}
