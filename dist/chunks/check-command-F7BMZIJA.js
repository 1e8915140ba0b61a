import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  checkCommand,
  checkProject
} from "./chunk-6PWG6ARS.js";
import "./chunk-E2MVOWKJ.js";
import "./chunk-T52YN4YC.js";
import "./chunk-P2IIJOQP.js";
import "./chunk-IUAILITG.js";
import "./chunk-HMDSBVIM.js";
import "./chunk-F4IRGORQ.js";
import "./chunk-OHRY4Y5X.js";
import "./chunk-TP23J6CY.js";
import "./chunk-IKKKNM3B.js";
import "./chunk-HYK6JFBE.js";
import "./chunk-ACB7LVIP.js";
import "./chunk-ZVL7YR4V.js";
import "./chunk-KKVMN7OZ.js";
import "./chunk-UOOPJVRV.js";
export {
  checkCommand,
  checkProject
};
