import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  beginBuildCache,
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob
} from "./chunk-3ZPD7RFG.js";
import "./chunk-3CYDPAS3.js";
import "./chunk-LX67Z6VI.js";
import "./chunk-Z3RLGLLH.js";
import "./chunk-ZO4TFNJM.js";
import "./chunk-7XKFHKGP.js";
import "./chunk-MMNOBJZU.js";
import "./chunk-L6W3GWGW.js";
import "./chunk-4ZLOKNXU.js";
import "./chunk-TP23J6CY.js";
import "./chunk-IZF6HKYA.js";
import "./chunk-HYK6JFBE.js";
import "./chunk-ACB7LVIP.js";
import "./chunk-MERAHNWG.js";
import "./chunk-XN7JYT6V.js";
import "./chunk-BDS5G37X.js";
import "./chunk-CUR5OLJO.js";
import "./chunk-SY3SBDYW.js";
import "./chunk-UOOPJVRV.js";
export {
  beginBuildCache,
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob
};
