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

export {
  passGoSettings
};
