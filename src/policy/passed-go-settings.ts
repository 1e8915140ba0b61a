// The go command's settings handed from a step that already read them (`go env`) to the serve
// daemon it starts, so the daemon need not run the go command again before it is ready (one
// `go env` costs about a tenth of a second, a third of serve's start-up). The step starts the
// daemon with the very environment it read them from, so the values are the ones serve's own
// `go env` would give. All five or nothing: with any missing, serve runs `go env` itself.
import { GO_SETTING_NAMES, type GoSettingName, type GoSettings } from './job-go-env.ts';

/** The environment variable holding them, as JSON: {"GOPROXY": "...", "GOSUMDB": "...", ...}. */
export const goSettingsEnvName = 'GOPROXY_ACTION_GO_SETTINGS';

/** The variable to add to the daemon's environment for settings read with `go env`. */
export function passGoSettings(settings: GoSettings): Record<string, string> {
  // An unset one is '' as `go env` prints it.
  const picked = Object.fromEntries(GO_SETTING_NAMES.map((name) => [name, settings[name] ?? '']));
  return { [goSettingsEnvName]: JSON.stringify(picked) };
}

/**
 * The settings a caller passed in `env`, or null when none were (then run `go env`). Throws a
 * one-line error naming the fix when the variable is set but is not what passGoSettings writes.
 */
export function passedGoSettings(env: NodeJS.ProcessEnv): Record<GoSettingName, string> | null {
  const text = env[goSettingsEnvName];
  if (text === undefined || text === '') return null;
  const problem = `${goSettingsEnvName} must be a JSON object with the string fields ${GO_SETTING_NAMES.join(', ')} (as go env -json prints them); unset it to have serve run go env`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(problem);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(problem);
  const values = {} as Record<GoSettingName, string>;
  for (const name of GO_SETTING_NAMES) {
    const value = (parsed as Record<string, unknown>)[name];
    if (typeof value !== 'string') throw new Error(problem);
    values[name] = value;
  }
  return values;
}
