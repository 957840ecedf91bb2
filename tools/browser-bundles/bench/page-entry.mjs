// The page of wasm-browser.bench.mjs: exposes the timing function to the driver.
import { wasmBackendSupported } from '@sinkflow/ot';
import { timeIterations } from './iteration-timing.mjs';

globalThis.timeIterations = timeIterations;
globalThis.wasmBackendSupported = wasmBackendSupported;
