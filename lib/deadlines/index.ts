/**
 * The deadline engine: working time on the production calendar, deadlines from configured
 * durations, reminder points, pauses and SLA policies. Pure functions of their arguments (no clock,
 * no database), so every rule is tested with plain dates.
 */
export {
  type CalendarCoverage,
  type CoverageCalendar,
  calendarCoverage,
  calendarReadiness,
  isoWeekOf,
  NEXT_YEAR_DUE,
} from './calendar-coverage.js';
export {
  addDuration,
  type ClockMode,
  clockModeOf,
  extendForPause,
  nextWorkingMoment,
  pointAt,
  workingTimeBetween,
} from './deadline.js';
export { calendarMs, DURATION_PATTERN, type Duration, type DurationUnit, isDuration, parseDuration } from './duration.js';
export { DAY_MS, HOUR_MS, MINUTE_MS, TimeZone } from './local-time.js';
export {
  type CaseDeadlines,
  computeDeadlines,
  type PolicyQuery,
  type Priority,
  pickPolicy,
  type SlaPolicies,
  type SlaPolicy,
  type SlaTerms,
} from './policy.js';
export {
  CALENDAR_DAY_TYPES,
  type CalendarDayType,
  type ClockInterval,
  type DayKind,
  LABOUR_CODE_HOLIDAYS,
  type ProductionCalendar,
  type Weekday,
  WorkingCalendar,
  type WorkingCalendarOptions,
  type WorkingDay,
  type WorkingHours,
  type WorkingInterval,
} from './working-calendar.js';
