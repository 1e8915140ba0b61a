import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  checkCommand,
  checkProject
} from "./chunk-UEJOYHN6.js";
import "./chunk-YHKOB7WL.js";
import "./chunk-HUU7QQSV.js";
import "./chunk-VSLAJNKE.js";
import "./chunk-QJQIP6YP.js";
import "./chunk-D6ABVZEK.js";
import "./chunk-AELSV62P.js";
import "./chunk-R6JEJCAX.js";
import "./chunk-4UAAFUVR.js";
import "./chunk-CLBVXHE3.js";
import "./chunk-FUBAG4WB.js";
import "./chunk-IUAILITG.js";
import "./chunk-HMDSBVIM.js";
import "./chunk-F4IRGORQ.js";
import "./chunk-UOOPJVRV.js";
export {
  checkCommand,
  checkProject
};
