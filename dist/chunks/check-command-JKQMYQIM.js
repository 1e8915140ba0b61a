import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  checkCommand,
  checkProject
} from "./chunk-ZNG6CE5R.js";
import "./chunk-MWYJDFQ4.js";
import "./chunk-T52YN4YC.js";
import "./chunk-P2IIJOQP.js";
import "./chunk-IUAILITG.js";
import "./chunk-HMDSBVIM.js";
import "./chunk-F4IRGORQ.js";
import "./chunk-4ZLOKNXU.js";
import "./chunk-TP23J6CY.js";
import "./chunk-IZF6HKYA.js";
import "./chunk-HYK6JFBE.js";
import "./chunk-ACB7LVIP.js";
import "./chunk-BDS5G37X.js";
import "./chunk-CUR5OLJO.js";
import "./chunk-SY3SBDYW.js";
import "./chunk-UOOPJVRV.js";
export {
  checkCommand,
  checkProject
};
