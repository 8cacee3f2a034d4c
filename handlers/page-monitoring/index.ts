import type { DomainConfig } from '../../config/domain.js';
import { pageSettings } from './settings.js';

export { ANSWERED_ON_PAGE } from './comment-cases.js';
export { type DigitalScore, digitalScores } from './digital.js';
export {
  departmentDigitalScore,
  type FigureInput,
  isOverdue,
  type PageFigures,
  pageFigures,
  pageScore,
  type ScoreParts,
  workingHoursBetween,
} from './figures.js';
export {
  type MonitoringDeps,
  monitorPages,
  type PageOutcome,
  type RefreshOutcome,
  type RoundReport,
  refreshPage,
} from './monitor.js';
export {
  type ChannelProbe,
  type CommentSource,
  type PageComment,
  type PagePlatforms,
  type PagePost,
  type PageReader,
  type PageReading,
  type PageRef,
  type PageSetup,
  type PostComments,
  type ProbeOutcome,
  type ReadOutcome,
  type ReadRequest,
  type SetupItems,
  UNREADABLE,
} from './ports.js';
export { PAGE_DEFAULTS, type PageSettings, pageSettings } from './settings.js';

/** The monitoring round's cron (city time): `pages.schedule`, else the schema's default. */
export function pagesCron(domain: Pick<DomainConfig, 'pages'>): string {
  return pageSettings(domain).schedule;
}
