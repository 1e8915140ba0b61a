import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  checkCommand,
  checkProject
} from "./chunk-BONPHMY4.js";
import "./chunk-YHKOB7WL.js";
import "./chunk-VULFQATB.js";
import "./chunk-MXILH5XD.js";
import "./chunk-CZAGKAJH.js";
import "./chunk-AELSV62P.js";
import "./chunk-4UAAFUVR.js";
import "./chunk-CLBVXHE3.js";
import "./chunk-K6QX4M4V.js";
import "./chunk-IUAILITG.js";
import "./chunk-HMDSBVIM.js";
import "./chunk-F4IRGORQ.js";
import "./chunk-UOOPJVRV.js";
export {
  checkCommand,
  checkProject
};
