import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  beginBuildCache,
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob
} from "./chunk-EVKDUYKO.js";
import "./chunk-3CYDPAS3.js";
import "./chunk-ZO4TFNJM.js";
import "./chunk-KE6IE3GS.js";
import "./chunk-LGFPNF46.js";
import "./chunk-N25SXF32.js";
import "./chunk-CDRKGIR3.js";
import "./chunk-OHRY4Y5X.js";
import "./chunk-7LGJT4UM.js";
import "./chunk-HYK6JFBE.js";
import "./chunk-ACB7LVIP.js";
import "./chunk-MERAHNWG.js";
import "./chunk-XN7JYT6V.js";
import "./chunk-ZVL7YR4V.js";
import "./chunk-ZENR7TFX.js";
import "./chunk-UOOPJVRV.js";
export {
  beginBuildCache,
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob
};
