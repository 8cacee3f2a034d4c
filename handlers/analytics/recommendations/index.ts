export {
  buildRecommendations,
  type DecidedRecommendation,
  type DecisionOutcome,
  decideRecommendation,
  mayDecide,
  openRecommendations,
  type RecommendationsOutcome,
  recommendations,
  type Viewer,
} from './recommend.js';
export { encodeRecommendationId, parseRecommendationId, type RecommendationKey } from './recommendation-id.js';
export { RULES } from './registry.js';
export {
  type Addressee,
  RECOMMENDATION_DEFAULTS,
  type Recommendation,
  type RecommendationSettings,
  RULE_IDS,
  type Rule,
  type RuleId,
} from './types.js';
