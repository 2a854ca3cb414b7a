/** The sections every alert about one CloudTrail call shares: who made it, where, the links to it, the ids to find it by. */
import type { Alert, AlertLink } from './alert';
import { cloudTrailEventsUrl, cloudTrailEventUrl } from './console-links';
import { CloudTrailRecord, principalName } from '../events/cloudtrail-record';

export type CallSections = Pick<Alert, 'who' | 'where' | 'refs'> & { readonly links: AlertLink[]; readonly partition: string };

export function callSections(record: CloudTrailRecord): CallSections {
  const who = principalName(record.principalArn);
  const partition = /^arn:([^:]+):/.exec(record.principalArn)?.[1] ?? 'aws';
  return {
    partition,
    who: [
      `Principal: ${record.principalArn} (${record.principalType})`,
      ...(record.sourceIp ? [`Source IP: ${record.sourceIp}`] : []),
      ...(record.userAgent ? [`User agent: ${record.userAgent}`] : []),
    ],
    where: `Account ${record.account}, region ${record.region}`,
    links: [
      { label: 'CloudTrail event', url: cloudTrailEventUrl(partition, record.region, record.eventId) },
      { label: 'Everything this principal did', url: cloudTrailEventsUrl(partition, record.region, 'Username', who.split('/').pop() ?? who) },
    ],
    refs: { eventId: record.eventId, eventName: record.eventName, eventTime: record.eventTime },
  };
}
