export { IdxFormatError } from './idx/idx-format-error.js';
export type { IdxArray, IdxData, IdxDataType } from './idx/parse-idx.js';
export { parseIdx } from './idx/parse-idx.js';
export type { ImageScaling } from './images/scale-images.js';
export { DEQUANTIZATION_SCALE, scaleImages } from './images/scale-images.js';
