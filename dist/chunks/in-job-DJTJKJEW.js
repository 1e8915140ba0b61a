import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob
} from "./chunk-DOCUPEK2.js";
import "./chunk-3CYDPAS3.js";
import "./chunk-ZO4TFNJM.js";
import "./chunk-IEB4R5BZ.js";
import "./chunk-LGFPNF46.js";
import "./chunk-N25SXF32.js";
import "./chunk-ZPWWIJ4W.js";
import "./chunk-QJQIP6YP.js";
import "./chunk-W3D4NFDI.js";
import "./chunk-HYK6JFBE.js";
import "./chunk-ACB7LVIP.js";
import "./chunk-MERAHNWG.js";
import "./chunk-XN7JYT6V.js";
import "./chunk-ZVL7YR4V.js";
import "./chunk-ZENR7TFX.js";
import "./chunk-UOOPJVRV.js";
export {
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob
};
