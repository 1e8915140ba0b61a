import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  ModuleZipError,
  checkModuleZip,
  cleanPath,
  maxGoMod,
  maxLicense,
  maxZipFile
} from "./chunk-CTO3CDGR.js";
import "./chunk-R6JEJCAX.js";
import "./chunk-4UAAFUVR.js";
import "./chunk-UOOPJVRV.js";
export {
  ModuleZipError,
  checkModuleZip,
  cleanPath,
  maxGoMod,
  maxLicense,
  maxZipFile
};
