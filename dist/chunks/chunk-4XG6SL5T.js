import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  GO_SETTING_NAMES
} from "./chunk-MERAHNWG.js";

// src/policy/passed-go-settings.ts
var goSettingsEnvName = "GOPROXY_ACTION_GO_SETTINGS";
function passGoSettings(settings) {
  const picked = Object.fromEntries(GO_SETTING_NAMES.map((name) => [name, settings[name] ?? ""]));
  return { [goSettingsEnvName]: JSON.stringify(picked) };
}
function passedGoSettings(env) {
  const text = env[goSettingsEnvName];
  if (text === void 0 || text === "") return null;
  const problem = `${goSettingsEnvName} must be a JSON object with the string fields ${GO_SETTING_NAMES.join(", ")} (as go env -json prints them); unset it to have serve run go env`;
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(problem);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(problem);
  const values = {};
  for (const name of GO_SETTING_NAMES) {
    const value = parsed[name];
    if (typeof value !== "string") throw new Error(problem);
    values[name] = value;
  }
  return values;
}

export {
  passGoSettings,
  passedGoSettings
};
