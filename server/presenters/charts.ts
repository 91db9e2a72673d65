import { t, type Locale } from '../i18n/index.ts';
import { dayNumber } from '../numbering/time.ts';
import type { HoldingSpan, MonthCount } from '../services/tree/agentProfile.ts';

// Small server-rendered SVG charts for the agent profile (views/partials/month-chart.hbs,
// views/partials/holdings-timeline.hbs). Geometry only; every text goes through {{ }}.

const round = (n: number) => Math.round(n * 10) / 10;

/** Complaints per month as bars, with a label on every few months so the labels never collide. */
export function monthChartView(months: readonly MonthCount[], locale: Locale) {
  const left = 36;
  const top = 14;
  const plotHeight = 120;
  const barWidth = Math.max(10, Math.min(28, Math.floor(720 / Math.max(1, months.length))));
  const width = Math.max(280, left + months.length * barWidth + 16);
  const height = top + plotHeight + 36;
  const max = Math.max(1, ...months.map((m) => m.count));
  const labelEvery = Math.max(1, Math.ceil(months.length / Math.floor((width - left) / 64)));
  return {
    width,
    height,
    title: t(locale, 'profile.complaints_chart_title'),
    description: t(locale, 'profile.complaints_chart_description', {
      first: months[0]?.month ?? '',
      last: months[months.length - 1]?.month ?? '',
      max,
    }),
    axis: {
      x1: left,
      y1: top + plotHeight,
      x2: width - 8,
      y2: top + plotHeight,
      maxLabel: max,
      maxY: top + 4,
      zeroY: top + plotHeight,
      labelX: left - 6,
    },
    bars: months.map((m, i) => {
      const h = round((m.count / max) * plotHeight);
      return {
        x: left + i * barWidth + 1,
        y: round(top + plotHeight - h),
        w: barWidth - 2,
        h,
        title: t(locale, 'profile.complaints_in_month', { month: m.month, count: m.count }),
        label: i % labelEvery === 0 ? m.month : null,
        labelX: left + i * barWidth + barWidth / 2,
        labelY: top + plotHeight + 16,
      };
    }),
  };
}

/**
 * The agent's holdings as bars along a time axis, one row each, with the chosen day marked:
 * how its holdings changed across dates at a glance.
 */
export function timelineView(
  spans: readonly HoldingSpan[],
  range: { from: string; to: string },
  date: string,
  locale: Locale,
) {
  const labelWidth = 170;
  const plotWidth = 560;
  const row = 22;
  const top = 26;
  const from = dayNumber(range.from);
  // One day of room at the end, so a span that starts and ends on the last day still shows.
  const to = dayNumber(range.to) + 1;
  const x = (day: number) => round(labelWidth + ((day - from) / Math.max(1, to - from)) * plotWidth);
  const firstYear = Number(range.from.slice(0, 4));
  const lastYear = Number(range.to.slice(0, 4));
  const ticks = [];
  for (let year = firstYear + 1; year <= lastYear; year++)
    ticks.push({ x: x(dayNumber(`${year}-01-01`)), label: String(year) });
  const bottom = top + spans.length * row + 4;
  // Year labels under the rows, clear of the range's end labels above them.
  const height = bottom + 16;
  return {
    width: labelWidth + plotWidth + 16,
    height,
    title: t(locale, 'profile.timeline_title'),
    description: t(locale, 'profile.timeline_description', { from: range.from, to: range.to, date }),
    fromLabel: range.from,
    toLabel: range.to,
    labelX: labelWidth,
    endX: labelWidth + plotWidth,
    axisY: 14,
    ticks: ticks.map((tick) => ({ ...tick, y1: top - 4, y2: bottom, labelY: bottom + 12 })),
    marker: { x: x(dayNumber(date)), y1: top - 8, y2: bottom },
    rows: spans.map((span, i) => {
      const a = span.allocation;
      const start = x(dayNumber(a.validFrom));
      const end = a.validTo === null ? labelWidth + plotWidth : x(dayNumber(a.validTo) + 1);
      return {
        label: a.prefix,
        labelY: top + i * row + 15,
        labelX: labelWidth - 8,
        x: start,
        y: top + i * row + 4,
        w: Math.max(2, round(end - start)),
        h: row - 8,
        fill: span.current ? '#1f4fb3' : '#9aa3b2',
        dash: a.declared ? null : '5 3',
        title: t(locale, 'profile.timeline_span', {
          prefix: a.prefix,
          holder: a.holder.name,
          from: a.validFrom,
          to: a.validTo ?? t(locale, 'profile.open_ended'),
          level: a.level,
        }),
      };
    }),
  };
}
