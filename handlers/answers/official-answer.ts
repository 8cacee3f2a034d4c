import type { Actor } from '../../models/actor.js';
import { answerOnPage } from '../../models/answer-target.js';
import { caseIdByNumber, draftOf, findOfficialByAccount, setDraft, takeDraft } from '../../models/people-repository.js';
import type { AnswerPhoto, DraftKind } from '../../models/schema.js';
import type { StaffAccount } from '../../models/staff-account.js';
import type { CaseActionDeps } from '../cases/deps.js';
import { type ExtensionRequestOutcome, requestExtension } from '../cases/extension.js';
import { type AskOutcome, askCitizen } from '../cases/pause.js';
import { type ReturnOutcome, returnToTriage } from '../cases/reassign.js';
import { authorizeForCase } from '../people/authorize-case.js';
import { type AnswerDeps, type AnswerOutcome, answerCase } from './answer-case.js';

/** With `actions`, an extension, return or question draft does what it says; without, it is sent as an answer. */
type Deps = AnswerDeps & { actions?: CaseActionDeps };

/**
 * «Ответить», «Промежуточный ответ», «Продлить срок», «Не наше — вернуть»: the official's next
 * message becomes the answer, the extension reason, or the reason the case is not theirs.
 */
export async function startAnswer(
  deps: Pick<Deps, 'db'>,
  input: { account: StaffAccount; caseId: number; kind: DraftKind },
): Promise<{ status: 'ready'; caseNumber: string } | { status: 'forbidden' | 'not_found' }> {
  const access = await authorizeForCase(deps.db, input.account, input.caseId);
  if (access.status !== 'ok') return access;
  await setDraft(deps.db, access.official.id, { caseId: input.caseId, kind: input.kind, text: null });
  return { status: 'ready', caseNumber: access.card.number };
}

export type OfficialTextOutcome =
  | { status: 'not_official' | 'no_case' | 'forbidden' }
  | { status: 'extension'; result: ExtensionRequestOutcome }
  | { status: 'redirect'; result: ReturnOutcome }
  | { status: 'question'; result: AskOutcome }
  | (AnswerOutcome & {
      caseNumber?: string;
      /** The case came from a channel's comment: the answer is recorded, the citizen reads the page's reply. */
      onPage?: boolean;
    });

const NUMBER = /МЦУ-\d{4}-\d{6}/;

/**
 * A private text from an official: a reply to a message naming a case (МЦУ-…) answers that case;
 * otherwise it completes what the official started with a button (an answer, an extension request,
 * a return to triage). Texts from anyone else go on to intake. An answer sent back by the quality
 * gate is kept as a draft, so «Отправить всё равно» can send it.
 */
export async function submitOfficialText(
  deps: Deps,
  input: { account: StaffAccount; text: string; replyToText?: string | undefined; photos?: readonly AnswerPhoto[] },
): Promise<OfficialTextOutcome> {
  const official = await findOfficialByAccount(deps.db, input.account);
  if (!official?.active) return { status: 'not_official' };
  const replied = input.replyToText?.match(NUMBER)?.[0];
  const draft = await draftOf(deps.db, official.id);
  const caseId = replied ? await caseIdByNumber(deps.db, replied) : (draft?.draft_case_id ?? undefined);
  if (caseId === undefined) return { status: 'no_case' };
  const kind: DraftKind = replied ? 'final' : (draft?.draft_kind ?? 'final');
  const access = await authorizeForCase(deps.db, input.account, caseId);
  if (access.status !== 'ok') return { status: 'forbidden' };
  const actor: Actor = { type: 'official', officialId: official.id };
  if ((kind === 'extension' || kind === 'redirect' || kind === 'question') && deps.actions) {
    await setDraft(deps.db, official.id, null);
    const reason = input.text.trim().slice(0, 1000);
    if (kind === 'question')
      return { status: 'question', result: await askCitizen(deps.actions, { caseId, question: input.text.trim(), actor }) };
    return kind === 'extension'
      ? { status: 'extension', result: await requestExtension(deps.actions, { caseId, reason, actor }) }
      : { status: 'redirect', result: await returnToTriage(deps.actions, { caseId, reason, actor }) };
  }
  const answerKind = kind === 'interim' ? 'interim' : 'final';
  const photos = input.photos ?? [];
  const outcome = await answerCase(deps, { caseId, text: input.text, kind: answerKind, actor, photos });
  await setDraft(
    deps.db,
    official.id,
    outcome.status === 'needs_revision' ? { caseId, kind: answerKind, text: input.text, photos } : null,
  );
  return { ...outcome, caseNumber: access.card.number, onPage: answerOnPage(access.card.answer_place) };
}

/** «Отправить всё равно»: sends the draft the quality gate held back (held for an operator if the config says so). */
export async function forceDraft(deps: Deps, input: { account: StaffAccount }): Promise<OfficialTextOutcome> {
  const official = await findOfficialByAccount(deps.db, input.account);
  if (!official?.active) return { status: 'not_official' };
  // Taken and cleared at once: a second press finds nothing and sends nothing twice.
  const draft = await takeDraft(deps.db, official.id);
  if (!draft?.draft_case_id || !draft.draft_text) return { status: 'no_case' };
  const access = await authorizeForCase(deps.db, input.account, draft.draft_case_id);
  if (access.status !== 'ok') return { status: 'forbidden' };
  const outcome = await answerCase(deps, {
    caseId: draft.draft_case_id,
    text: draft.draft_text,
    kind: draft.draft_kind === 'interim' ? 'interim' : 'final',
    actor: { type: 'official', officialId: official.id },
    force: true,
    photos: draft.draft_photos ?? [],
  });
  return { ...outcome, caseNumber: access.card.number, onPage: answerOnPage(access.card.answer_place) };
}
