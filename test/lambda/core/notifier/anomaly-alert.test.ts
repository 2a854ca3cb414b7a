import * as fc from 'fast-check';
import { renderText, toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { alertForEvent } from '../../../../lambda/core/notifier/alert-for-event';
import { anomalyAlert, COST_ANOMALY_READER, isCostAnomaly } from '../../../../lambda/core/notifier/anomaly-alert';
import { MalformedEventError } from '../../../../lambda/core/notifier/event-reader';
import { detection } from '../../../../lib/catalog';
import { documentedAnomaly, lambdaSnsEvent, rootCause, snsEnvelope } from '../../../fixtures/documented-anomalies';
import { readJsonLines } from '../../../fixtures/real-events';

/** The notifier's reading of an event it always alerts on (cost notifications are never judged harmless). */
function readAlert(event: unknown) {
  const read = alertForEvent(event);
  return { ...read, alert: read.alert! };
}

const [DOCS_ANOMALY] = readJsonLines('cost/cost_anomaly_sns_example_awsdocs.jsonl');
const [BUDGET_NOTIFICATION] = readJsonLines('cost/budgets_sns_notification.jsonl');

describe('Cost Anomaly Detection messages', () => {
  test.each([
    ['bare, as the documentation shows it', DOCS_ANOMALY],
    ['in an SNS envelope', snsEnvelope(JSON.stringify(DOCS_ANOMALY))],
    ['as a Lambda SNS trigger receives it', lambdaSnsEvent(snsEnvelope(JSON.stringify(DOCS_ANOMALY)))],
  ])('the documentation\'s example, %s, names the service, the impact, the root cause and the console link', (_name, event) => {
    // WHEN
    const { alert, recognised } = readAlert(event);
    const message = toAlertMessage(alert);
    // THEN
    expect(recognised).toBe(true);
    expect(alert.detectionId).toBe('cost-anomaly');
    expect(message.subject).toBe('[MiningGuard][HIGH] Cost anomaly +$1,001.00 in AnomalousServiceName AnomalousRegionName');
    const text = renderText(alert);
    expect(text).toContain('Total impact $1,001.00; largest daily impact $151.00.');
    expect(text).toContain('Root cause: AnomalousServiceName, in AnomalousRegionName, account AnomalousLinkedAccount, usage type AnomalousUsageType');
    expect(text).toContain('Cost anomaly: https://console.aws.amazon.com/cost-management/home#/anomaly-detection/monitors/abcdefgh-1234-4ea0-84cc-918a97d736ef/anomalies/newAnomaly');
    expect(alert.refs.anomalyId).toBe('newAnomalyId');
  });

  test('the current shape adds the percentage, the expected spend, account names and each cause\'s contribution', () => {
    // WHEN
    const { alert } = readAlert(lambdaSnsEvent(snsEnvelope(JSON.stringify(documentedAnomaly()))));
    const message = toAlertMessage(alert);
    // THEN
    expect(message.subject).toBe('[MiningGuard][HIGH] Cost anomaly +$4,212.50 (17.9x) in Elastic Compute Cloud - Compute sa-east-1');
    expect(message.subject.length).toBeLessThan(100);
    const text = renderText(alert);
    expect(text).toContain('Total impact $4,212.50 (+1685.0% over expected): $4,462.50 spent where $250.00 was expected; largest daily impact $2,527.50.');
    expect(text).toContain('Root cause: Amazon Elastic Compute Cloud - Compute, in sa-east-1, account 123456789012 (production), usage type SAE1-BoxUsage:g4dn.12xlarge, contributing $3,890.10');
    expect(text).toContain('Account 123456789012, region sa-east-1');
  });

  test('many root causes are listed up to ten, then counted', () => {
    const causes = Array.from({ length: 14 }, (_, i) => rootCause(`Service ${i}`, `region-${i}`, `Usage${i}`, 10));
    const { alert } = readAlert(documentedAnomaly({ rootCauses: causes }));
    expect(alert.who).toHaveLength(11);
    expect(alert.who[10]).toBe('... and 4 more root causes: see the anomaly.');
    expect(toAlertMessage(alert).subject.length).toBeLessThan(100);
  });

  test('an anomaly without its total impact is shown as unrecognised', () => {
    const { recognised, reason } = readAlert({ ...documentedAnomaly(), impact: { maxImpact: 3 } });
    expect(recognised).toBe(false);
    expect(reason).toMatch(/totalImpact/);
  });

  test('any impact, percentage and service name gives a subject under 100 characters', () => {
    fc.assert(fc.property(
      fc.double({ min: 0, max: 1e9, noNaN: true }),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
      fc.string({ maxLength: 300 }),
      fc.string({ maxLength: 80 }),
      (totalImpact, totalImpactPercentage, service, region) => {
        const event = lambdaSnsEvent(snsEnvelope(JSON.stringify(documentedAnomaly({
          totalImpact, totalImpactPercentage, rootCauses: [rootCause(service, region, 'Usage', 1)],
        }))));
        const { alert } = readAlert(event);
        expect(toAlertMessage(alert).subject.length).toBeLessThan(100);
      },
    ));
  });
});

describe('isCostAnomaly', () => {
  test.each([
    ['the documentation\'s example, bare', DOCS_ANOMALY],
    ['the documentation\'s example, in an SNS envelope', snsEnvelope(JSON.stringify(DOCS_ANOMALY))],
    ['the current shape, as a Lambda SNS trigger receives it', lambdaSnsEvent(snsEnvelope(JSON.stringify(documentedAnomaly())))],
    ['an anomaly with its impact but no monitor', { anomalyId: 'a-1', impact: { totalImpact: 3 } }],
    ['an anomaly with its monitor but no impact', { anomalyId: 'a-1', monitorArn: 'arn:aws:ce::123456789012:anomalymonitor/m' }],
  ])('recognises %s', (_name, event) => {
    expect(isCostAnomaly(event)).toBe(true);
    expect(COST_ANOMALY_READER.matches(event)).toBe(true);
  });

  test.each([
    ['the real Budgets notification', BUDGET_NOTIFICATION],
    ['an SNS message that is not JSON', snsEnvelope('AWS Budget Notification')],
    ['an anomaly id alone', { anomalyId: 'a-1' }],
    ['an anomaly id that is no string', { anomalyId: { a: 1 }, impact: {} }],
    ['an impact that is no object', { anomalyId: 'a-1', impact: 'high' }],
    ['a JSON list in an SNS envelope', snsEnvelope(JSON.stringify([DOCS_ANOMALY]))],
    ['null', null],
  ])('does not take %s for an anomaly', (_name, event) => {
    expect(isCostAnomaly(event)).toBe(false);
  });
});

describe('anomalyAlert', () => {
  test('writes the whole alert of an anomaly in the current documented shape', () => {
    const costAnomaly = detection('cost-anomaly');
    expect(anomalyAlert(documentedAnomaly())).toEqual({
      severity: costAnomaly.severity,
      detectionId: 'cost-anomaly',
      title: costAnomaly.title,
      headline: 'Cost anomaly +$4,212.50 (17.9x) in Elastic Compute Cloud - Compute sa-east-1',
      what: [
        'AWS Cost Anomaly Detection found unusual spend from 2026-11-24T00:00:00Z to 2026-11-25T00:00:00Z.',
        'Total impact $4,212.50 (+1685.0% over expected): $4,462.50 spent where $250.00 was expected; largest daily impact $2,527.50.',
        'Services: Amazon Elastic Compute Cloud - Compute.',
        'Anomaly score 0.93 (max 0.93).',
      ].join('\n'),
      who: [
        'Root cause: Amazon Elastic Compute Cloud - Compute, in sa-east-1, account 123456789012 (production), '
          + 'usage type SAE1-BoxUsage:g4dn.12xlarge, contributing $3,890.10',
        'Root cause: Amazon Elastic Compute Cloud - Compute, in sa-east-1, account 123456789012 (production), '
          + 'usage type SAE1-SpotUsage:p3.16xlarge, contributing $322.40',
      ],
      where: 'Account 123456789012, region sa-east-1',
      why: costAnomaly.rationale,
      done: ['Notified this channel.'],
      next: costAnomaly.nextSteps,
      links: [{
        label: 'Cost anomaly',
        url: 'https://console.aws.amazon.com/cost-management/home#/anomaly-detection/monitors/0a1b2c3d-4e5f-6789-abcd-ef0123456789'
          + '/anomalies/1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718',
      }],
      refs: {
        anomalyId: '1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718',
        monitorArn: 'arn:aws:ce::123456789012:anomalymonitor/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      },
    });
  });

  test('the documentation\'s one-day anomaly names its day once', () => {
    expect(anomalyAlert(DOCS_ANOMALY).what.split('\n')[0]).toBe('AWS Cost Anomaly Detection found unusual spend from 2021-05-25.');
  });

  test('several regions are listed where, and none is put in the headline', () => {
    const alert = anomalyAlert({
      anomalyId: 'a-1',
      impact: { totalImpact: 5 },
      rootCauses: [
        rootCause('AWS Some Extremely Long Service Name That Keeps Going On', 'us-east-1', 'U', 1),
        rootCause('Amazon EC2', 'eu-west-1', 'U', 2),
      ],
    });
    // The service loses its `AWS ` prefix and is cut at 40 characters; the body names it in full.
    expect(alert.headline).toBe('Cost anomaly +$5.00 in Some Extremely Long Service Name That...');
    expect(alert.what).toBe([
      'AWS Cost Anomaly Detection found unusual spend.',
      'Total impact $5.00.',
      'Services: AWS Some Extremely Long Service Name That Keeps Going On, Amazon EC2.',
    ].join('\n'));
    expect(alert.where).toBe('The monitored account, region us-east-1, eu-west-1');
    expect(alert.links).toEqual([]);
    expect(alert.refs).toEqual({ anomalyId: 'a-1' });
  });

  test('an anomaly without root causes is put on its dimension, in all regions', () => {
    const alert = anomalyAlert({ ...documentedAnomaly(), rootCauses: [] });
    expect(alert.headline).toBe('Cost anomaly +$4,212.50 (17.9x) in Elastic Compute Cloud - Compute');
    expect(alert.who).toEqual(['Cost Anomaly Detection named no root cause: see the anomaly.']);
    expect(alert.where).toBe('Account 123456789012, all regions');
  });

  test('a root cause with nothing in it is an unknown service', () => {
    const alert = anomalyAlert({ anomalyId: 'a-1', impact: { totalImpact: '12.5' }, rootCauses: [{}, 'text', null] });
    expect(alert.who).toEqual(['Root cause: unknown service', 'Root cause: unknown service', 'Root cause: unknown service']);
    expect(alert.headline).toBe('Cost anomaly +$12.50 in unknown service');
  });

  test.each([
    ['no impact', { ...documentedAnomaly(), impact: undefined }],
    ['a total impact that is no number', { ...documentedAnomaly(), impact: { totalImpact: 'a lot' } }],
  ])('an anomaly with %s is malformed, and says which anomaly', (_name, anomaly) => {
    expect(() => anomalyAlert(anomaly)).toThrow(MalformedEventError);
    expect(() => anomalyAlert(anomaly)).toThrow('Cost anomaly 1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718 without a numeric `impact.totalImpact`');
  });

  test('any field of a real or documented anomaly replaced by any value gives an alert or a MalformedEventError, nothing else', () => {
    const anomalies = fc.constantFrom(DOCS_ANOMALY, documentedAnomaly());
    const fields = [
      'impact', 'rootCauses', 'anomalyStartDate', 'anomalyEndDate', 'accountId',
      'anomalyDetailsLink', 'anomalyScore', 'dimensionalValue', 'monitorArn',
    ];
    const value = fc.oneof(fc.jsonValue(), fc.string({ unit: 'binary', maxLength: 300 }));
    const mutated = fc.record({ anomaly: anomalies, field: fc.constantFrom(...fields), value })
      .map((m) => ({ ...m.anomaly, [m.field]: m.value }));
    fc.assert(fc.property(fc.oneof(mutated, mutated.map((a) => lambdaSnsEvent(snsEnvelope(JSON.stringify(a))))), (event) => {
      if (!isCostAnomaly(event)) return;
      try {
        const message = toAlertMessage(COST_ANOMALY_READER.read(event)!);
        expect(message.subject.length).toBeLessThan(100);
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedEventError);
      }
    }), { numRuns: 300 });
  });
});
