import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Channel } from './intake.js';

/** Row types of every table the application owns (pg-boss keeps its own schema). */
export interface Database {
  dead_letter: DeadLetterTable;
  audit_log: AuditLogTable;
  citizen: CitizenTable;
  source: SourceTable;
  case: CaseTable;
  case_counter: CaseCounterTable;
  message: MessageTable;
  message_edit: MessageEditTable;
  inbound_event: InboundEventTable;
  inbox_event: InboxEventTable;
  community_watermark: CommunityWatermarkTable;
  channel_cursor: ChannelCursorTable;
  problem: ProblemTable;
  alert: AlertTable;
  feedback: FeedbackTable;
  training_example: TrainingExampleTable;
  classifier_model: ClassifierModelTable;
  official: OfficialTable;
  official_account: OfficialAccountTable;
  invite: InviteTable;
  answer: AnswerTable;
  poll: PollTable;
  reminder: ReminderTable;
  digest: DigestTable;
  weekly_report: WeeklyReportTable;
  recommendation_decision: RecommendationDecisionTable;
  extension_request: ExtensionRequestTable;
  api_token: ApiTokenTable;
  app_setting: AppSettingTable;
  follow_up_choice: FollowUpChoiceTable;
  intent_question: IntentQuestionTable;
  external_appeal: ExternalAppealTable;
  subscription: SubscriptionTable;
  subscription_event: SubscriptionEventTable;
  broadcast: BroadcastTable;
  broadcast_recipient: BroadcastRecipientTable;
  console_login_link: ConsoleLoginLinkTable;
  console_session: ConsoleSessionTable;
  official_page: OfficialPageTable;
  page_snapshot: PageSnapshotTable;
  page_post: PagePostTable;
  page_comment: PageCommentTable;
}

/** A photo attached to an official's answer: the Telegram file id (valid for this bot in any chat). */
export interface AnswerPhoto {
  telegramFileId: string;
}

/**
 * What a person's next private message is: an answer (final or interim), an extension reason, why a case is
 * not theirs, a question to the citizen (these name `draft_case_id`), or the text of a broadcast after
 * /broadcast (no case; bots/conversation/broadcast.ts). The column has no CHECK constraint.
 */
export type DraftKind = 'interim' | 'final' | 'extension' | 'redirect' | 'question' | 'broadcast';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** Inputs we could not parse or process: kept with their raw body, never dropped silently. */
export interface DeadLetterTable {
  id: Generated<number>;
  source: string;
  reason: string;
  raw: JSONColumnType<object, string, string>;
  created_at: CreatedAt;
  /** The inbox event that failed processing too often (null for a body refused at the edge). */
  inbox_id: number | null;
  /** Why processing failed (the last error), for the operator who replays it. */
  error: string | null;
  replayed_at: Date | null;
}

export type InboxStatus = 'pending' | 'done' | 'parked';

/** One inbound platform event, stored raw before it was acknowledged; the workers' unit of work. */
export interface InboxEventTable {
  id: Generated<number>;
  channel: string;
  event_id: string;
  lane: string;
  payload: JSONColumnType<object, string, string>;
  status: ColumnType<InboxStatus, InboxStatus | undefined, InboxStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  available_at: ColumnType<Date, Date | undefined, Date>;
  /** Set while a worker decides the event (its lease); null otherwise. */
  locked_until: Date | null;
  last_error: string | null;
  received_at: CreatedAt;
  done_at: Date | null;
}

/** Append-only trail of every change (who, what, when); the table refuses UPDATE and DELETE. */
export interface AuditLogTable {
  id: Generated<number>;
  /** An encoded Actor (models/actor.ts): "official:17", "citizen:vk", "system"… */
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  created_at: CreatedAt;
}

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp with a default (`now()`): optional on insert. `Generated<Timestamp>` would nest the ColumnType and select it as an object. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface CitizenTable {
  id: Generated<number>;
  channel: string;
  external_id: string;
  display_name: string | null;
  username: string | null;
  consent: ColumnType<
    'unknown' | 'given' | 'declined',
    'unknown' | 'given' | 'declined' | undefined,
    'unknown' | 'given' | 'declined'
  >;
  consent_at: Timestamp | null;
  /** An imported appeal's author (migration 0024): personal data, never logged. */
  phone: ColumnType<string | null, string | null | undefined, string | null>;
  email: ColumnType<string | null, string | null | undefined, string | null>;
  force_new_case: Generated<boolean>;
  /** «Отписаться» under a broadcast: no broadcasts at all, not even about their own cases, until /subscribe. */
  broadcasts_opted_out_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** When the personal data were removed (retention, /forget; migration 0037): the row is a placeholder since. */
  anonymised_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface SourceTable {
  id: Generated<number>;
  channel: string;
  external_id: string;
  kind: string;
  title: string | null;
  official: boolean;
  status: 'active' | 'pending' | 'rejected';
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CaseTable {
  id: Generated<number>;
  number: string;
  status: string;
  channel: string;
  source_id: number;
  citizen_id: number | null;
  text: string;
  category: string | null;
  district: string | null;
  department: string | null;
  priority: Generated<string>;
  triage_reason: string | null;
  deadline_at: Timestamp | null;
  last_message_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  category_auto: string | null;
  category_confidence: number | null;
  category_rule: string | null;
  model_version: string | null;
  suggestions: Json<{ label: string; confidence: number }[]> | null;
  district_reason: string | null;
  urgency_rule: string | null;
  routing_rule: string | null;
  problem_id: number | null;
  first_response_due_at: Timestamp | null;
  regime: string | null;
  latest_deadline_at: Timestamp | null;
  /** Set while the case waits for the citizen: the deadline does not run. */
  paused_at: Timestamp | null;
  /** A duplicate merged into another case. */
  merged_into: number | null;
  /** The official who took the case or was assigned it; reminders go to them, else to the department. */
  assignee_id: number | null;
  /** The first or final deadline was counted on the art. 112 fallback (a year the production calendar lacks). */
  deadline_provisional: Generated<boolean>;
  /** When retention masked the finished case's texts (docs/operations/personal-data.md). */
  texts_masked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface CaseCounterTable {
  year: number;
  last: number;
}

export interface MessageTable {
  id: Generated<number>;
  channel: string;
  source_id: number;
  external_id: string;
  kind: string;
  platform_ids: Json<Record<string, string | number>>;
  citizen_id: number | null;
  text: string;
  attachments: Json<unknown[]>;
  geo_lat: number | null;
  geo_lon: number | null;
  permalink: string | null;
  thread: Json<Record<string, unknown>> | null;
  new_case: Generated<boolean>;
  platform_at: Timestamp;
  received_at: Timestamp;
  edited_at: Timestamp | null;
  deleted_at: Timestamp | null;
  raw: Json<unknown>;
  case_id: number | null;
  processed_at: Timestamp | null;
  /** Why the message opened no case (thanks, an advert …), when structuring judged it not a problem. */
  not_problem_reason: string | null;
  /** How often the sweep failed to decide its case (parked at a limit). */
  decide_failures: ColumnType<number, number | undefined, number>;
}

export interface MessageEditTable {
  id: Generated<number>;
  message_id: number;
  previous_text: string;
  new_text: string;
  edited_at: Timestamp;
}

export interface InboundEventTable {
  channel: string;
  event_id: string;
  received_at: CreatedAt;
}

export interface CommunityWatermarkTable {
  owner_id: number;
  last_post_id: number;
  comment_marks: Json<Record<string, number>>;
  polled_at: Timestamp | null;
}

export interface ChannelCursorTable {
  name: string;
  value: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ProblemTable {
  id: Generated<number>;
  category: string;
  district: string;
  title: string;
  case_count: Generated<number>;
  status: Generated<string>;
  first_at: Timestamp;
  last_at: Timestamp;
  spike_alerted_at: Timestamp | null;
}

/**
 * What an operator is alerted about; extension_requested and answer_held carry buttons to decide in the
 * operators' chat. The page_ kinds are official pages' (handlers/page-monitoring): unreadable (gone,
 * private, the bot not admin), silent, comments closed, comments unanswered past the term.
 */
export type AlertKind =
  | 'urgent'
  | 'spike'
  | 'reopened'
  | 'extension_requested'
  | 'answer_held'
  | 'reassignment'
  | 'page_unreadable'
  | 'page_silent'
  | 'page_comments_closed'
  | 'page_comments_unanswered'
  /** Next year (or this year) is missing from the production calendar; one a week (handlers/calendar). */
  | 'calendar_missing'
  /** A case nobody was routed to closed because its citizen withdrew consent (handlers/privacy). */
  | 'consent_withdrawn';

export interface AlertTable {
  id: Generated<number>;
  kind: AlertKind;
  case_id: number | null;
  problem_id: number | null;
  details: Json<Record<string, unknown>>;
  created_at: Timestamp;
  acknowledged_at: Timestamp | null;
}

export interface FeedbackTable {
  id: Generated<number>;
  kind: 'thanks';
  department: string | null;
  case_id: number | null;
  message_id: number;
  created_at: Timestamp;
}

export interface TrainingExampleTable {
  id: Generated<number>;
  text: string;
  label: string;
  source: 'correction' | 'import';
  case_id: number | null;
  created_at: Timestamp;
}

export interface ClassifierModelTable {
  id: Generated<number>;
  version: string;
  model: Json<unknown>;
  metrics: Json<Record<string, unknown>>;
  active: Generated<boolean>;
  created_at: Timestamp;
}

export interface OfficialTable {
  id: Generated<number>;
  name: string;
  department: string;
  role: string;
  /** The messenger cards, reminders and the digest go to first (the last one bound, unless changed). */
  preferred_channel: Channel | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  /** When an account was last bound. */
  bound_at: Timestamp | null;
  deactivated_at: Timestamp | null;
  draft_case_id: number | null;
  /** What the official's next message is: an answer, an extension reason, or why the case is not theirs. */
  draft_kind: DraftKind | null;
  draft_text: string | null;
  draft_photos: Json<AnswerPhoto[]> | null;
}

/** A person's account on one messenger (migration 0023-staff-accounts); one per messenger and person. */
export interface OfficialAccountTable {
  official_id: number;
  channel: Channel;
  user_id: string;
  /** The private chat with the bot, where notices go. */
  chat_id: string;
  bound_at: Timestamp;
  /** The bot was blocked there: skipped until the account is bound again. */
  blocked_at: Timestamp | null;
}

export interface InviteTable {
  token_hash: string;
  official_id: number;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface AnswerTable {
  id: Generated<number>;
  case_id: number;
  kind: 'interim' | 'final';
  text: string;
  /** An encoded Actor (models/actor.ts). */
  author: string;
  quality: Json<Record<string, unknown>>;
  /** queued → sent | recorded (imports) | blocked (the citizen blocked the bot); held = waits for an operator. */
  state: 'queued' | 'held' | 'rejected' | 'sent' | 'recorded' | 'blocked';
  error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
  /** An encoded Actor (models/actor.ts). */
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  photos: ColumnType<AnswerPhoto[], string | undefined, string>;
}

export interface PollTable {
  id: Generated<number>;
  case_id: number;
  /** scheduled → asked → (reminded) → answered; unreachable when the citizen can only be reached in public. */
  state: 'scheduled' | 'asked' | 'reminded' | 'answered' | 'unreachable';
  solved: boolean | null;
  rating: number | null;
  asked_at: Timestamp | null;
  reminded_at: Timestamp | null;
  answered_at: Timestamp | null;
  created_at: Timestamp;
  /** «Добавить комментарий» pressed: the citizen's next private message within the window is the comment. */
  comment_requested_at: Timestamp | null;
  comment: string | null;
  commented_at: Timestamp | null;
}

/** One morning digest per person and local date. */
export interface DigestTable {
  official_id: number;
  /** "YYYY-MM-DD" in the city's time zone; select it as `local_date::text` (pg would make a Date of it). */
  local_date: ColumnType<string, string, never>;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
  /** sent | blocked | skipped:<why> */
  outcome: string | null;
}

/** One weekly report per person and week (migration 0026-weekly-report). */
export interface WeeklyReportTable {
  official_id: number;
  /** The local date "YYYY-MM-DD" of the Monday of the week it is sent in; select it as `week_start::text`. */
  week_start: ColumnType<string, string, never>;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
  /** sent | blocked | skipped:<why> */
  outcome: string | null;
}

/** The decision on one recommendation, keyed by its stable id (migration 0027-recommendations). */
export interface RecommendationDecisionTable {
  recommendation_id: string;
  rule: string;
  decision: 'accepted' | 'dismissed';
  comment: string | null;
  /** An encoded Actor (models/actor.ts). */
  decided_by: string;
  decided_at: Timestamp;
}

export interface ReminderTable {
  case_id: number;
  /** An encoded ReminderKind (models/reminder-kind.ts): "before:50", "escalate:block_owner"… */
  kind: string;
  due_at: Timestamp;
  sent_at: Timestamp | null;
  /** sent | skipped:<why> */
  outcome: string | null;
  created_at: CreatedAt;
}

export interface ExtensionRequestTable {
  id: Generated<number>;
  case_id: number;
  /** An encoded Actor (models/actor.ts), like decided_by. */
  requested_by: string;
  reason: string;
  previous_deadline_at: Timestamp;
  requested_until: Timestamp;
  /** pending → approved | rejected */
  state: Generated<'pending' | 'approved' | 'rejected'>;
  decided_by: string | null;
  decision_comment: string | null;
  decided_at: Timestamp | null;
  created_at: Timestamp;
}

export interface ApiTokenTable {
  token_hash: string;
  official_id: number;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface AppSettingTable {
  key: string;
  value: string;
  created_at: Timestamp;
}

export type FollowUpChoiceState = 'pending' | 'addition' | 'new' | 'dropped';

/** A follow-up about something else than the open case, waiting for «Дополнение…» / «Новое обращение» or the timeout. */
export interface FollowUpChoiceTable {
  message_id: number;
  citizen_id: number;
  /** The open case the citizen is asked about. */
  case_id: number;
  /** A topicless message sent while another waits: it goes wherever that one goes. */
  follows_message_id: number | null;
  state: ColumnType<FollowUpChoiceState, FollowUpChoiceState | undefined, FollowUpChoiceState>;
  /** citizen:<channel> | timeout | with (it waited with another message) */
  decided_by: string | null;
  result_case_id: number | null;
  asked_at: Timestamp;
  decided_at: Timestamp | null;
}

export type IntentQuestionState = 'pending' | 'appeal' | 'not_appeal' | 'dropped';

/** A private message that may not be an appeal, waiting for the citizen's «Да, это обращение» / «Нет» or the timeout. */
export interface IntentQuestionTable {
  message_id: number;
  citizen_id: number;
  /** What it is if the citizen says it is not an appeal. */
  lean: 'thanks' | 'spam';
  state: ColumnType<IntentQuestionState, IntentQuestionState | undefined, IntentQuestionState>;
  /** The citizen's actor, timeout, or next_message (the citizen wrote again instead of answering). */
  decided_by: string | null;
  result_case_id: number | null;
  asked_at: Timestamp;
  decided_at: Timestamp | null;
}

/** An appeal from another system (ПОС, ИМ) and the one case it became (migration 0024-external-appeals). */
export interface ExternalAppealTable {
  source: string;
  external_id: string;
  case_id: number;
  message_id: number;
  received_at: Timestamp;
  source_category: string | null;
  source_department: string | null;
  source_status: string | null;
  /** The case status the source's state was last moved to. */
  applied_status: string | null;
  answer_text: string | null;
  answered_at: Timestamp | null;
  closed_at: Timestamp | null;
  rating: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// ---------------------------------------------------------------------------------------------
// Broadcasts (migration 0029-broadcasts; docs/architecture/broadcasts.md)
// ---------------------------------------------------------------------------------------------

/** A citizen's subscription: where broadcasts go and what about (empty = the whole city / every topic). */
export interface SubscriptionTable {
  citizen_id: number;
  channel: Channel;
  chat_id: string;
  districts: ColumnType<string[], string[] | undefined, string[]>;
  topics: ColumnType<string[], string[] | undefined, string[]>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type SubscriptionAction = 'subscribe' | 'change' | 'unsubscribe' | 'opt_out' | 'blocked';

/** What a citizen agreed to (or left), when and where: appended, never updated. */
export interface SubscriptionEventTable {
  id: Generated<number>;
  citizen_id: number;
  channel: Channel;
  action: SubscriptionAction;
  districts: ColumnType<string[], string[] | undefined, never>;
  topics: ColumnType<string[], string[] | undefined, never>;
  /** command | button | broadcast (the «Отписаться» under one) | delivery (the chat was blocked) | api */
  via: string;
  broadcast_id: number | null;
  at: CreatedAt;
}

export type BroadcastStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'done' | 'cancelled';
export type BroadcastRecipientStatus = 'pending' | 'sending' | 'sent' | 'blocked' | 'failed' | 'skipped';

export interface BroadcastTable {
  id: Generated<number>;
  title: string;
  text: string;
  photo_url: string | null;
  allow_split: ColumnType<boolean, boolean | undefined, boolean>;
  segment: Json<unknown>;
  priority: 'normal' | 'emergency';
  status: ColumnType<BroadcastStatus, BroadcastStatus | undefined, BroadcastStatus>;
  author_id: number | null;
  author: string;
  approved_by_id: number | null;
  approved_by: string | null;
  approved_at: Timestamp | null;
  scheduled_at: Timestamp | null;
  recipients_total: number | null;
  lease_owner: string | null;
  lease_until: Timestamp | null;
  /** The author's progress message, edited in place: { channel, chatId, messageId }. */
  progress_message: Json<{ channel: Channel; chatId: string; messageId: string }> | null;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  summary_sent_at: Timestamp | null;
  /** Why a scheduled broadcast went back to `draft` when due (nobody to send to, an approval missing); migration 0032. */
  not_started_reason: string | null;
}

export interface BroadcastRecipientTable {
  broadcast_id: number;
  seq: number;
  citizen_id: number | null;
  channel: Channel;
  chat_id: string;
  status: ColumnType<BroadcastRecipientStatus, BroadcastRecipientStatus | undefined, BroadcastRecipientStatus>;
  reason: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  available_at: ColumnType<Date, Date | string | undefined, Date | string>;
  message_id: string | null;
  sent_at: Timestamp | null;
}

export interface ConsoleLoginLinkTable {
  token_hash: string;
  official_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface ConsoleSessionTable {
  id_hash: string;
  official_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  ended_at: Timestamp | null;
}

export type PagePlatform = 'vk' | 'telegram' | 'max';
export type PageStatus = 'active' | 'planned' | 'closed';

export interface OfficialPageTable {
  id: Generated<number>;
  platform: PagePlatform;
  external_id: string;
  url: string;
  title: string | null;
  owner_department: string;
  organisation: string | null;
  responsible_official_id: number | null;
  responsible_name: string | null;
  status: PageStatus;
  readable: boolean | null;
  unreadable_reason: string | null;
  last_checked_at: Timestamp | null;
  gone_at: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface PageSnapshotTable {
  id: Generated<number>;
  page_id: number;
  taken_at: Timestamp;
  readable: boolean;
  reason: string | null;
  figures: JSONColumnType<Record<string, unknown>, string, string>;
  score: string | null;
}

export interface PagePostTable {
  page_id: number;
  post_id: string;
  posted_at: Timestamp;
  views: number | null;
  likes: number | null;
  reposts: number | null;
  comments: number | null;
  url: string | null;
  updated_at: DefaultTimestamp;
}

export interface PageCommentTable {
  page_id: number;
  comment_id: string;
  post_id: string;
  author_id: string;
  text: string;
  created_at: Timestamp;
  url: string | null;
  replied_at: Timestamp | null;
  reply_id: string | null;
  case_id: number | null;
  assessed_at: Timestamp | null;
}
