import type { ConstraintMeanings } from '../../lib/constraints.js';

// Constraints of alert rules, incidents and request statistics, merged into the one table in api/lib/constraints.ts.
export const alertConstraints: ConstraintMeanings = {
  alert_rules_name_key: { status: 409, code: 'duplicate_name', message: 'Another alert rule has this name.' },
  alert_rules_name_valid: { status: 422, code: 'bad_name', message: 'A rule name is 3 to 80 characters.' },
  alert_rules_threshold_valid: { status: 422, code: 'bad_threshold', message: 'A threshold is a whole number from 0 to 100,000,000.' },
  alert_rules_window_valid: { status: 422, code: 'bad_window', message: 'A window is 1 minute to 7 days (10,080 minutes).' },
  alerts_rule_id_fk: { status: 422, code: 'unknown_rule', message: 'That alert rule does not exist.' },
  alerts_one_open_per_rule: { status: 409, code: 'already_firing', message: 'This rule already has an open incident.' },
  alerts_cleared_after_fired: { status: 422, code: 'bad_alert', message: 'An incident clears after it fired.' },
  alerts_values_nonnegative: { status: 422, code: 'bad_alert', message: 'Measured values and thresholds are not negative.' },
  alerts_history_immutable: { status: 409, code: 'alert_history', message: 'An incident is history: it can only be cleared, once.' },
  alerts_append_only: { status: 409, code: 'alert_history', message: 'Alert incidents are kept.' },
  request_stats_counts_valid: { status: 422, code: 'bad_request_stats', message: 'Errors are counted among the requests.' },
  request_stats_minute_whole: { status: 422, code: 'bad_request_stats', message: 'Request statistics are kept per whole minute.' },
};
