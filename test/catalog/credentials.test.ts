import { ABUSE_DETECTIONS, CREDENTIAL_DETECTIONS, eventBridgeDetailType, judgedCallDetections } from '../../lib/catalog';

describe('the credential detections', () => {
  test('event names are unique per source', () => {
    const bySource = new Map<string, string[]>();
    for (const d of CREDENTIAL_DETECTIONS) {
      bySource.set(d.signal.eventSource, [...bySource.get(d.signal.eventSource) ?? [], ...d.signal.eventNames]);
    }
    for (const [source, names] of bySource) expect([source, new Set(names).size]).toEqual([source, names.length]);
  });

  test('each call is selected by its credential detection, and otherwise only by abuse detections, which judge it first and more narrowly', () => {
    for (const d of CREDENTIAL_DETECTIONS) {
      for (const name of d.signal.eventNames) {
        const selecting = judgedCallDetections({ eventSource: d.signal.eventSource, eventName: name, identityType: 'IAMUser' });
        expect([name, selecting.filter((o) => o !== d && !ABUSE_DETECTIONS.includes(o as never)).map((o) => o.id)]).toEqual([name, []]);
        expect([name, selecting[selecting.length - 1].id]).toEqual([name, d.id]);
      }
    }
  });

  test('console logins are read as sign-in events, every other call as an API call', () => {
    const detailTypes = CREDENTIAL_DETECTIONS.map((d) => [d.id, eventBridgeDetailType(d.signal.eventSource)]);
    expect(detailTypes.filter(([, type]) => type === 'AWS Console Sign In via CloudTrail')).toEqual([
      ['suspicious-console-login', 'AWS Console Sign In via CloudTrail'],
    ]);
    expect(CREDENTIAL_DETECTIONS.find((d) => d.id === 'suspicious-console-login')!.signal).toEqual({
      kind: 'cloudtrail', eventSource: 'signin.amazonaws.com', eventNames: ['ConsoleLogin'],
    });
  });

  test('Lambda calls are named with their API version, as CloudTrail records them', () => {
    const lambda = CREDENTIAL_DETECTIONS.filter((d) => d.signal.eventSource === 'lambda.amazonaws.com').flatMap((d) => d.signal.eventNames);
    expect(lambda).toEqual(['CreateFunctionUrlConfig20211031', 'UpdateFunctionUrlConfig20211031']);
  });

  test('each only notifies, with high severity unless it is a region or a federation token', () => {
    const ids = CREDENTIAL_DETECTIONS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of CREDENTIAL_DETECTIONS) expect([d.id, d.responses, d.containmentPermissions]).toEqual([d.id, ['NOTIFY'], undefined]);
    expect(CREDENTIAL_DETECTIONS.filter((d) => d.severity !== 'HIGH').map((d) => [d.id, d.severity])).toEqual([
      ['region-enabled', 'MEDIUM'], ['federation-token', 'MEDIUM'],
    ]);
  });
});
