// Every command's options are parsed here, so that a mistake (an unknown option, a missing
// value, a stray argument) is answered the same way everywhere: one line naming it and the
// command's --help, exit status 2.
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage-error.ts';

/** The one-line answer to a command line node:util's parser refused. */
export function describeParseError(command: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string }).code;
  const seeHelp = `run 'goproxy-action ${command} --help' for its options`;
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) return `unknown option '${quoted}'; ${seeHelp}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted)
    return `unexpected argument '${quoted}' (options only); ${seeHelp}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /--?[A-Za-z0-9-]+/.exec(message)?.[0] ?? 'an option';
    return message.includes('argument missing')
      ? `option ${option} needs a value; ${seeHelp}`
      : `option ${option} takes no value; ${seeHelp}`;
  }
  return `${message.split('\n')[0]}; ${seeHelp}`;
}

/** A refusal in the same words for an option a command rejects itself (start's own parser). */
export function unknownOption(command: string, option: string): UsageError {
  return new UsageError(`unknown option '${option}'; run 'goproxy-action ${command} --help' for its options`);
}

/** Parses `args` strictly (no positionals) against `options`; mistakes become UsageErrors. */
export function parseOptions<const O extends ParseArgsOptionsConfig>(
  command: string,
  args: string[],
  options: O,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(describeParseError(command, err));
  }
}
