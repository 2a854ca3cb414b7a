/**
 * Matches events against EventBridge event patterns with the emulator's own matcher (moto's `EventPattern`, which
 * implements `$or`, prefixes and the rest as EventBridge documents them), all in one Python process: delivering each
 * event through the emulated bus costs a third of a second, which thousands of events cannot afford.
 */
import { spawnSync } from 'child_process';

const MATCHER = `
import json, sys
from moto.events.models import EventPattern
job = json.load(sys.stdin)
patterns = [EventPattern.load(json.dumps(p)) for p in job["patterns"]]
json.dump([[p.matches_event(e) for p in patterns] for e in job["events"]], sys.stdout)
`;

/** For each event, whether each pattern matches it. */
export function matchEvents(patterns: readonly object[], events: readonly object[]): boolean[][] {
  const result = spawnSync('python3', ['-c', MATCHER], { input: JSON.stringify({ patterns, events }), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`moto's event-pattern matcher failed (is moto installed? python3 -m pip install -r requirements-dev.txt): ${result.stderr || result.error}`);
  }
  return JSON.parse(result.stdout) as boolean[][];
}
