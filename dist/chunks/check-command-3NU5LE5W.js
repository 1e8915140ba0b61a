import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  checkCommand,
  checkProject
} from "./chunk-IPYVH5EE.js";
import "./chunk-7SK4LABC.js";
import "./chunk-T52YN4YC.js";
import "./chunk-P2IIJOQP.js";
import "./chunk-IUAILITG.js";
import "./chunk-HMDSBVIM.js";
import "./chunk-F4IRGORQ.js";
import "./chunk-OHRY4Y5X.js";
import "./chunk-7LGJT4UM.js";
import "./chunk-HYK6JFBE.js";
import "./chunk-ACB7LVIP.js";
import "./chunk-ZVL7YR4V.js";
import "./chunk-ZENR7TFX.js";
import "./chunk-UOOPJVRV.js";
export {
  checkCommand,
  checkProject
};
