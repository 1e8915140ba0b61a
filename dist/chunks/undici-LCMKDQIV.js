import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  require_undici
} from "./chunk-LQXP64C3.js";
import "./chunk-UOOPJVRV.js";
export default require_undici();
