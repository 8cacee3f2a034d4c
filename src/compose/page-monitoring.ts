import { createMaxChannelProbe } from '../../bots/max/page-probe.js';
import { TelegramChannelProbe } from '../../bots/telegram/page-probe.js';
import { createVkApi, type VkApiPort } from '../../bots/vk/api.js';
import { createVkServicePacer, SERVICE_TOKEN_PER_SECOND, VkPagesReader } from '../../bots/vk/pages-reader.js';
import type { MonitoringDeps, PagePlatforms } from '../../handlers/page-monitoring/index.js';
import { createStructurer, type StructuringDeps } from '../../handlers/structuring/index.js';
import { handlerDeps } from './deps.js';
import { maxConfig } from './max.js';
import type { Runtime } from './runtime.js';
import { telegramApi } from './telegram.js';

/**
 * The service token's client (VK_SERVICE_TOKEN): one per instance, so the public communities' polling and
 * the official pages' monitoring share its 3 requests/s through one pacer. null without the token.
 */
export function vkServiceApi(rt: Runtime): VkApiPort | null {
  return rt.shared(createServiceClient);
}

function createServiceClient(rt: Runtime): VkApiPort | null {
  const token = rt.config.vkServiceToken;
  if (!token) return null;
  return createVkApi({
    token,
    apiBaseUrl: rt.config.vkApiBaseUrl,
    requestsPerSecond: SERVICE_TOKEN_PER_SECOND,
    pacer: createVkServicePacer(),
  });
}

/** The platforms' adapters of official-page monitoring this instance has (one per instance). */
export function pagePlatforms(rt: Runtime): PagePlatforms {
  return rt.shared(createPlatforms);
}

function createPlatforms(rt: Runtime): PagePlatforms {
  const vk = vkServiceApi(rt);
  const max = maxConfig(rt);
  return {
    vk: vk ? new VkPagesReader(vk) : null,
    telegram: rt.telegram ? new TelegramChannelProbe(telegramApi(rt)) : null,
    max: max ? createMaxChannelProbe({ token: max.token, baseUrl: max.apiBaseUrl }) : null,
  };
}

/** The structurer a comment's case is structured with (the same rules and model as intake's). */
function pageStructuring(rt: Runtime): StructuringDeps {
  return rt.shared((r) => ({
    domain: r.domain,
    structurer: createStructurer(r.domain, r.predictor, r.boundaries, r.intentScorer),
    calendar: r.calendar,
  }));
}

/**
 * What `monitorPages` and `refreshPage` take (handlers/page-monitoring): the handlers' deps, the platforms'
 * adapters, the structurer. For the `monitor-pages` worker and `POST /api/v1/pages/:id/refresh`; 503 until
 * the database and the queue are up.
 */
export function pageMonitoringDeps(rt: Runtime): MonitoringDeps {
  return { ...handlerDeps(rt), platforms: pagePlatforms(rt), structuring: pageStructuring(rt) };
}
