import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  ModuleZipError,
  checkModuleZip,
  cleanPath,
  maxGoMod,
  maxLicense,
  maxZipFile
} from "./chunk-P2PRMXHJ.js";
import "./chunk-ZOOZAKKS.js";
import "./chunk-KN5HEWG5.js";
import "./chunk-UOOPJVRV.js";
export {
  ModuleZipError,
  checkModuleZip,
  cleanPath,
  maxGoMod,
  maxLicense,
  maxZipFile
};
