import type { Command } from '../command.js';
import { benchCommand } from './bench-command.js';
import { evaluateCommand } from './evaluate-command.js';
import { exportCommand } from './export-command.js';
import { generateCommand } from './generate-command.js';
import { importCommand } from './import-command.js';
import { predictCommand } from './predict-command.js';
import { summaryCommand } from './summary-command.js';
import { trainCommand } from './train-command.js';

/** Every `recur` subcommand, in help order. */
export const COMMANDS: readonly Command[] = [
  trainCommand,
  evaluateCommand,
  predictCommand,
  generateCommand,
  summaryCommand,
  exportCommand,
  importCommand,
  benchCommand,
];
