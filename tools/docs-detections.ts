/**
 * The detection table of docs/detections.md, generated from the catalog. `npx projen docs:detections` rewrites it in
 * place; a unit test fails when the page and the catalog disagree.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Detection, DETECTIONS } from '../lib/catalog';

/** The page that carries the table. */
export const DETECTIONS_DOC = path.join(__dirname, '..', 'docs', 'detections.md');
const START = '<!-- detections:start (generated from lib/catalog by `npx projen docs:detections`) -->';
const END = '<!-- detections:end -->';

function signalOf(d: Detection): string {
  switch (d.signal.kind) {
    case 'guardduty': return `GuardDuty ${d.signal.findingTypes.map((t) => `\`${t}\``).join(', ')}`;
    case 'cloudtrail': return `CloudTrail \`${d.signal.eventSource}\` ${d.signal.eventNames.map((n) => `\`${n}\``).join(', ')}`;
    case 'cloudtrail-identity': return `CloudTrail: every API call whose \`userIdentity.type\` is \`${d.signal.identityType}\`, reads included`;
    case 'config': return `AWS Config rule \`${d.signal.rule}\``;
    case 'cost': return `cost: ${d.signal.source}`;
    case 'alarm': return `CloudWatch alarm on \`${d.signal.namespace}\` \`${d.signal.metricName}\``;
    case 'metric-filter': return `CIS ${d.signal.control} metric filter \`${d.signal.metricName}\` on the trail's log group`;
    case 'burst': return `a principal's ${d.signal.of} detections within 5 minutes`;
    case 'catch-all': return `any other ${d.signal.of === 'unreadable' ? 'event the notifier cannot read' : `${d.signal.of} event`}`;
  }
}

function referencesOf(d: Detection): string {
  const r = d.references;
  return [...(r.cisControls ?? []), ...(r.stratusTechniques ?? []).map((t) => `Stratus \`${t}\``), ...(r.mitreAttack ?? []).map((t) => `ATT&CK ${t}`)]
    .join(', ') || '-';
}

/** The Markdown table of every detection. */
export function detectionsTable(): string {
  const rows = DETECTIONS.map((d) => `| \`${d.id}\` | ${d.title} | ${d.severity} | ${signalOf(d)} | ${d.latency} | ${referencesOf(d)} |`);
  return ['| id | detection | severity | signal | latency | references |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/** The page with its detection table replaced by the current one. */
export function withCurrentTable(page: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${path.relative(path.join(__dirname, '..'), DETECTIONS_DOC)} lacks the markers ${START} ... ${END}`);
  return `${page.slice(0, start + START.length)}\n${detectionsTable()}\n${page.slice(end)}`;
}

if (require.main === module) {
  fs.writeFileSync(DETECTIONS_DOC, withCurrentTable(fs.readFileSync(DETECTIONS_DOC, 'utf8')));
}
