export * from './mining-guard';
export * from './alerts/alert-channel';
export * from './alerts/notifier';
export * from './trail/audit-trail';
export * from './threats/threat-detection';
export * from './launches/launch-watch';
export * from './tamper/tamper-watch';
