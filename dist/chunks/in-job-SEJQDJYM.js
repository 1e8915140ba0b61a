import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob
} from "./chunk-UDJWTCDN.js";
import "./chunk-3CYDPAS3.js";
import "./chunk-QJQIP6YP.js";
import "./chunk-D6ABVZEK.js";
import "./chunk-R6JEJCAX.js";
import "./chunk-4UAAFUVR.js";
import "./chunk-4XG6SL5T.js";
import "./chunk-MERAHNWG.js";
import "./chunk-XN7JYT6V.js";
import "./chunk-CLBVXHE3.js";
import "./chunk-FUBAG4WB.js";
import "./chunk-C2OAEHDS.js";
import "./chunk-UX55G37R.js";
import "./chunk-N25SXF32.js";
import "./chunk-CZ5SWEGB.js";
import "./chunk-W2ZXG37Q.js";
import "./chunk-UOOPJVRV.js";
export {
  readComponentInputs,
  serveArgsFor,
  startInJob,
  stopInJob
};
