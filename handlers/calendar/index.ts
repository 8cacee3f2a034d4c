// The production calendar's coverage as the composition root, the workers and the `mcu` tool see it:
// the weekly alert while a year is missing (the calendar-check job) and the count of open cases whose
// deadlines rest on the Labour Code fallback. docs/operations/production-calendar.md.

export { type CalendarAlertOutcome, checkCalendarCoverage, provisionalOpenCases } from './calendar-alert.js';
