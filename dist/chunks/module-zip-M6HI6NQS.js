import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  ModuleZipError,
  checkModuleZip,
  cleanPath,
  maxGoMod,
  maxLicense,
  maxZipFile
} from "./chunk-453KH4HS.js";
import "./chunk-IKKKNM3B.js";
import "./chunk-HYK6JFBE.js";
import "./chunk-ACB7LVIP.js";
import "./chunk-UOOPJVRV.js";
export {
  ModuleZipError,
  checkModuleZip,
  cleanPath,
  maxGoMod,
  maxLicense,
  maxZipFile
};
