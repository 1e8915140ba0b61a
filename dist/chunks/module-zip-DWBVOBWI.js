import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  ModuleZipError,
  checkModuleZip,
  cleanPath,
  maxGoMod,
  maxLicense,
  maxZipFile
} from "./chunk-GLNF7LB5.js";
import "./chunk-DZS3WDRV.js";
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
