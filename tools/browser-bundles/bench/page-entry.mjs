// The page of wasm-browser.bench.mjs: one prepared kernel at a time, driven block by block.
import { prepareTiming } from './iteration-timing.mjs';

let timing;
globalThis.prepareTiming = async (config) => {
  timing = await prepareTiming(config);
  return timing.description;
};
globalThis.timeBlock = (count) => timing.block(count);
globalThis.disposeTiming = () => timing.dispose();
