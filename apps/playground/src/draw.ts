import type { Cloud } from './clouds.js';

/** Half the width of the square of data coordinates drawn, centred on 0. */
export const VIEW_RADIUS = 4.5;

export const SOURCE_COLOR = '#2f6db5';
export const TARGET_COLOR = '#e07b22';

/** Canvas pixel of a data point. */
export function toPixel(canvas: HTMLCanvasElement, x: number, y: number): [number, number] {
  const scale = canvas.width / (2 * VIEW_RADIUS);
  return [(x + VIEW_RADIUS) * scale, (VIEW_RADIUS - y) * scale];
}

/** Data coordinates of a canvas pixel (for clicks). */
export function toData(canvas: HTMLCanvasElement, px: number, py: number): [number, number] {
  const scale = canvas.width / (2 * VIEW_RADIUS);
  return [px / scale - VIEW_RADIUS, VIEW_RADIUS - py / scale];
}

function context(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const drawing = canvas.getContext('2d');
  if (drawing === null) throw new Error('no 2-D canvas context');
  return drawing;
}

/** Paints a canvas white and draws its axes. */
export function clear(canvas: HTMLCanvasElement): void {
  const drawing = context(canvas);
  drawing.fillStyle = '#fff';
  drawing.fillRect(0, 0, canvas.width, canvas.height);
  drawing.strokeStyle = '#eee';
  drawing.lineWidth = 1;
  const [cx, cy] = toPixel(canvas, 0, 0);
  drawing.beginPath();
  drawing.moveTo(0, cy);
  drawing.lineTo(canvas.width, cy);
  drawing.moveTo(cx, 0);
  drawing.lineTo(cx, canvas.height);
  drawing.stroke();
}

/** Draws a cloud as dots. */
export function drawCloud(
  canvas: HTMLCanvasElement,
  cloud: Cloud,
  color: string,
  radius = 1.8,
): void {
  const drawing = context(canvas);
  drawing.fillStyle = color;
  for (let i = 0; i < cloud.n; i += 1) {
    const [px, py] = toPixel(canvas, cloud.data[2 * i] as number, cloud.data[2 * i + 1] as number);
    drawing.beginPath();
    drawing.arc(px, py, radius, 0, 2 * Math.PI);
    drawing.fill();
  }
}

/** Draws a line from x_i to y_j for every sampled pair (i, j). */
export function drawPairs(
  canvas: HTMLCanvasElement,
  x: Cloud,
  y: Cloud,
  rows: Int32Array,
  columns: Int32Array,
): void {
  const drawing = context(canvas);
  drawing.strokeStyle = 'rgba(60, 60, 60, 0.28)';
  drawing.lineWidth = 0.8;
  drawing.beginPath();
  for (let k = 0; k < rows.length; k += 1) {
    const i = rows[k] as number;
    const j = columns[k] as number;
    const [ax, ay] = toPixel(canvas, x.data[2 * i] as number, x.data[2 * i + 1] as number);
    const [bx, by] = toPixel(canvas, y.data[2 * j] as number, y.data[2 * j + 1] as number);
    drawing.moveTo(ax, ay);
    drawing.lineTo(bx, by);
  }
  drawing.stroke();
}

/**
 * One frame of a flow's animation: the trajectories up to `progress` in [0, 1] as faint
 * polylines, and the points where they are now.
 */
export function drawTrajectories(
  canvas: HTMLCanvasElement,
  target: Cloud,
  trajectories: readonly Float32Array[],
  progress: number,
): void {
  clear(canvas);
  drawCloud(canvas, target, 'rgba(224, 123, 34, 0.35)', 1.4);
  const first = trajectories[0];
  if (first === undefined) return;
  const count = first.length / 2;
  const last = Math.max(
    0,
    Math.min(trajectories.length - 1, Math.floor(progress * (trajectories.length - 1))),
  );
  const drawing = context(canvas);
  drawing.strokeStyle = 'rgba(47, 109, 181, 0.25)';
  drawing.lineWidth = 0.8;
  drawing.beginPath();
  for (let i = 0; i < count; i += 1) {
    for (let s = 0; s <= last; s += 1) {
      const state = trajectories[s] as Float32Array;
      const [px, py] = toPixel(canvas, state[2 * i] as number, state[2 * i + 1] as number);
      if (s === 0) drawing.moveTo(px, py);
      else drawing.lineTo(px, py);
    }
  }
  drawing.stroke();
  const now = trajectories[last] as Float32Array;
  drawCloud(canvas, { data: now, n: count }, SOURCE_COLOR, 1.6);
}

/**
 * The plan's density as an image: cell (r, c) of the `bins x bins` grid (rows: source points by
 * angle, columns: target points by angle) in shades of blue, white for zero.
 */
export function drawPlan(canvas: HTMLCanvasElement, plan: Float32Array, bins: number): void {
  const drawing = context(canvas);
  const image = drawing.createImageData(bins, bins);
  for (let cell = 0; cell < bins * bins; cell += 1) {
    const level = Math.sqrt(plan[cell] as number); // sqrt: the faint mass stays visible
    image.data[4 * cell] = Math.round(255 - level * (255 - 20));
    image.data[4 * cell + 1] = Math.round(255 - level * (255 - 60));
    image.data[4 * cell + 2] = Math.round(255 - level * (255 - 140));
    image.data[4 * cell + 3] = 255;
  }
  const scratch = new OffscreenCanvas(bins, bins);
  (scratch.getContext('2d') as OffscreenCanvasRenderingContext2D).putImageData(image, 0, 0);
  drawing.imageSmoothingEnabled = false;
  drawing.fillStyle = '#fff';
  drawing.fillRect(0, 0, canvas.width, canvas.height);
  drawing.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}
