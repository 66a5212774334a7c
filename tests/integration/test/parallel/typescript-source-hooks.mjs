// Node module hooks that load the workspace as vitest does: the '@recur/source' export condition
// (packages resolve to src/index.ts), `.js` import suffixes mapped onto the `.ts` sources, and
// TypeScript turned into JavaScript by the compiler's own transpileModule (types erased only).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

const COMPILER_OPTIONS = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true };

export async function resolve(specifier, context, nextResolve) {
  const sourceContext = { ...context, conditions: [...context.conditions, '@recur/source'] };
  const parent = context.parentURL;
  if (parent !== undefined && parent.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const compiled = new URL(specifier, parent);
    const source = new URL(`${specifier.slice(0, -3)}.ts`, parent);
    if (!existsSync(compiled) && existsSync(source)) return nextResolve(source.href, sourceContext);
  }
  return nextResolve(specifier, sourceContext);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const text = await readFile(new URL(url), 'utf8');
  const { outputText } = ts.transpileModule(text, { compilerOptions: COMPILER_OPTIONS, fileName: url });
  return { format: 'module', source: outputText, shortCircuit: true };
}
