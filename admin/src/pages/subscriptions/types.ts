// Types inferred from the API's response schemas (type-only: nothing of the server reaches the bundle).
import type { CalendarEntry, Pause, Subscription } from '../../../../api/modules/subscriptions/subscriptions.schemas';

export type { CalendarEntry, CalendarMonth, Override, Pause, Subscription } from '../../../../api/modules/subscriptions/subscriptions.schemas';
export type Shift = Subscription['shift'];
export type Schedule = Subscription['schedule'];
export type SubscriptionStatus = Subscription['status'];
export type PauseState = Pause['state'];
export type CalendarStatus = CalendarEntry['status'];
