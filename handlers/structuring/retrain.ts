import type { Logger } from 'pino';
import { evaluate } from '../../lib/classifier/evaluate.js';
import type { Classifier } from '../../lib/classifier/index.js';
import type { Clock } from '../../lib/clock.js';
import { listTrainingExamples, saveModel } from '../../models/correction-repository.js';
import type { Db } from '../../models/database.js';
import type { PredictorHolder } from './predictor-holder.js';

export type RetrainOutcome =
  | { status: 'skipped'; reason: 'no_corrections' | 'no_base_model' }
  | {
      status: 'switched' | 'kept';
      version: string;
      used: number;
      skipped: number;
      baseMacroF1: number;
      candidateMacroF1: number;
      evaluatedOn: number;
    };

/**
 * Retrains on the operators' corrections: the base model (the committed default) is adapted to
 * every correction so far, then both it and the model in use are scored (macro-F1) on a held-out
 * slice — every fifth correction plus the project's own labelled examples — and the new model is
 * switched in only if it is not worse. Every candidate is recorded with its figures.
 */
export async function retrainClassifier(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  holder: PredictorHolder;
  base: Classifier | null;
  referenceExamples: readonly { text: string; label: string }[];
}): Promise<RetrainOutcome> {
  if (!deps.base) return { status: 'skipped', reason: 'no_base_model' };
  const corrections = await listTrainingExamples(deps.db);
  if (corrections.length === 0) return { status: 'skipped', reason: 'no_corrections' };

  // With fewer than ten corrections none is held out: each one teaches more than it could test.
  const heldOut = corrections.length >= 10 ? corrections.filter((_, i) => i % 5 === 4) : [];
  const train = corrections.filter((c) => !heldOut.includes(c));
  const { classifier: candidate, used, skipped } = deps.base.adapt(train);
  const evalSet = [...heldOut, ...deps.referenceExamples].filter((e) => candidate.labels.includes(e.label));
  const current = deps.holder.ready ? deps.holder : deps.base;
  const baseMacroF1 = evaluate(current, evalSet).macroF1;
  const candidateMacroF1 = evaluate(candidate, evalSet).macroF1;
  const now = deps.clock.now();
  const version = `adapted-${now.toISOString()}`;
  const activate = candidateMacroF1 >= baseMacroF1;
  await saveModel(
    deps.db,
    {
      version,
      model: candidate.toJSON(),
      metrics: {
        baseMacroF1,
        candidateMacroF1,
        corrections: corrections.length,
        used,
        skipped,
        heldOut: heldOut.length,
        evaluatedOn: evalSet.length,
      },
      activate,
    },
    now,
  );
  if (activate) deps.holder.set(candidate, version);
  deps.log.info(
    { version, activate, baseMacroF1, candidateMacroF1, used },
    activate ? 'classifier retrained and switched' : 'classifier retrained; kept the current model',
  );
  return {
    status: activate ? 'switched' : 'kept',
    version,
    used,
    skipped,
    baseMacroF1,
    candidateMacroF1,
    evaluatedOn: evalSet.length,
  };
}
