// The reports feature as the composition root, the workers and the bots see it: the weekly report
// (regulation 2.1.5, 4.3) runs as jobs (weekly-report, send-weekly-report); /report asks for the same
// content through handlers/commands.

export type { WeekFigures, WeeklyReport } from '../../models/report-repository.js';
export {
  buildWeeklyReport,
  DEFAULT_LATE_SHARE,
  hasReportContent,
  reportScope,
  WEEKLY_REPORT_ROLES,
} from './content.js';
export { type SendWeeklyReportDeps, type SendWeeklyReportOutcome, sendWeeklyReport } from './send-weekly-report.js';
export { firstWorkingDay, mondayOf, type ReportWeek, reportWeek } from './week.js';
export { planWeeklyReports, type WeeklyReportDeps, type WeeklyReportOutcome, weeklyReportCron } from './weekly-report.js';
