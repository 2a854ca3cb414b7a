/** The baseline for the synth benchmark: an app with one empty stack. */
import { App, Stack } from 'aws-cdk-lib';

new Stack(new App(), 'Empty');
