import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  ModuleZipError,
  checkModuleZip,
  cleanPath,
  maxGoMod,
  maxLicense,
  maxZipFile
} from "./chunk-JBAP4DJH.js";
import "./chunk-HEGZARSW.js";
import "./chunk-TPCHYJEY.js";
import "./chunk-UOOPJVRV.js";
export {
  ModuleZipError,
  checkModuleZip,
  cleanPath,
  maxGoMod,
  maxLicense,
  maxZipFile
};
