import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob
} from "./chunk-37MFJ47U.js";
import "./chunk-DFG5V2QP.js";
import "./chunk-MERAHNWG.js";
import "./chunk-XN7JYT6V.js";
import "./chunk-CURRSXP6.js";
import "./chunk-4PMBP5BZ.js";
import "./chunk-N25SXF32.js";
import "./chunk-FSEAHEKH.js";
import "./chunk-CLBVXHE3.js";
import "./chunk-K6QX4M4V.js";
import "./chunk-UOOPJVRV.js";
export {
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob
};
