/**
 * The deadline engine: working time on the production calendar, deadlines from configured
 * durations, reminder points, pauses and SLA policies. Pure functions of their arguments (no clock,
 * no database), so every rule is tested with plain dates.
 */
export {
  addDuration,
  type ClockMode,
  clockModeOf,
  extendForPause,
  nextWorkingMoment,
  pointAt,
  workingTimeBetween,
} from './deadline.js';
export { DAY_MS, HOUR_MS, MINUTE_MS, TimeZone } from './local-time.js';
export {
  type CaseDeadlines,
  computeDeadlines,
  type PolicyQuery,
  type Priority,
  pickPolicy,
  type SlaPolicies,
  type SlaTerms,
} from './policy.js';
export {
  type DayKind,
  LABOUR_CODE_HOLIDAYS,
  WorkingCalendar,
  type WorkingCalendarOptions,
  type WorkingDay,
  type WorkingHours,
  type WorkingInterval,
} from './working-calendar.js';
