/** How soon a CloudTrail call's alert arrives, by the two paths that bring it to the home region's evaluators. */

/**
 * EventBridge brings a call within seconds from every guarded region (the home region's rules, and the regional
 * part's forwarding rules elsewhere); IAM, STS, sign-in and Organizations calls arrive in us-east-1 only. The
 * multi-region trail's log group brings every call of every region, guarded or not, within minutes.
 */
export const CLOUDTRAIL_LATENCY = 'seconds (EventBridge, every guarded region; IAM, STS, sign-in and Organizations calls arrive in us-east-1); '
  + '~5 min (the trail\'s log group, any region)';
