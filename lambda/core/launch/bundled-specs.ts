/** The spec lookup that makes no AWS call: the bundled instance table, with the size rule for types it lacks. */
import type { SpecLookup } from './evaluate-launch';
import { instanceSpec } from './instance-types';

export const bundledSpec: SpecLookup = instanceSpec;
