import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob
} from "./chunk-YSJNVHW7.js";
import "./chunk-DFG5V2QP.js";
import "./chunk-MERAHNWG.js";
import "./chunk-XN7JYT6V.js";
import "./chunk-F5XM3HYH.js";
import "./chunk-UX55G37R.js";
import "./chunk-N25SXF32.js";
import "./chunk-CZ5SWEGB.js";
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
