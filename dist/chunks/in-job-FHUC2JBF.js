import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  beginBuildCache,
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob
} from "./chunk-2FLORENE.js";
import "./chunk-3CYDPAS3.js";
import "./chunk-GNPJ4PDI.js";
import "./chunk-ZO4TFNJM.js";
import "./chunk-KT422FDD.js";
import "./chunk-3B2L7NPH.js";
import "./chunk-CDRKGIR3.js";
import "./chunk-OHRY4Y5X.js";
import "./chunk-TP23J6CY.js";
import "./chunk-IKKKNM3B.js";
import "./chunk-HYK6JFBE.js";
import "./chunk-ACB7LVIP.js";
import "./chunk-MERAHNWG.js";
import "./chunk-XN7JYT6V.js";
import "./chunk-ZVL7YR4V.js";
import "./chunk-KKVMN7OZ.js";
import "./chunk-UOOPJVRV.js";
export {
  beginBuildCache,
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob
};
