import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);

// src/each-limited.ts
async function eachLimited(list, limit, work) {
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const item = list[next++];
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, list.length)) }, worker));
}

export {
  eachLimited
};
