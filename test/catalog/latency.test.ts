import { DETECTIONS } from '../../lib/catalog';
import { CLOUDTRAIL_LATENCY } from '../../lib/catalog/latency';

describe('CLOUDTRAIL_LATENCY', () => {
  test('is the latency of every CloudTrail detection, which both paths bring', () => {
    const cloudTrail = DETECTIONS.filter((d) => d.signal.kind === 'cloudtrail');
    expect(cloudTrail.length).toBeGreaterThan(20);
    expect(cloudTrail.filter((d) => d.latency !== CLOUDTRAIL_LATENCY).map((d) => d.id)).toEqual([]);
  });

  test('names both paths and the region where global services\' calls arrive', () => {
    expect(CLOUDTRAIL_LATENCY).toMatch(/^seconds \(EventBridge, every guarded region; .*us-east-1\); ~5 min \(the trail's log group, any region\)$/);
  });
});
