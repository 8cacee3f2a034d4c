/** `mcu classifier …`: retrain, run and check the message classifier on the МЦУ's own exports. */
import { type Command, commandGroup } from '../cli/command.js';
import { evalCommand } from './classifier-eval.js';
import { predictCommand } from './classifier-predict.js';
import { trainCommand } from './classifier-train.js';

export const classifierCommand: Command = commandGroup('mcu classifier', 'train, run and evaluate the message classifier', [
  trainCommand,
  predictCommand,
  evalCommand,
]);
