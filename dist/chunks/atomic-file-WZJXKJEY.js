import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  beginAtomicWrite,
  removeStaleTempFiles,
  tempPrefix,
  writeFileAtomic
} from "./chunk-XUKVG3QT.js";
import "./chunk-UOOPJVRV.js";
export {
  beginAtomicWrite,
  removeStaleTempFiles,
  tempPrefix,
  writeFileAtomic
};
