import {
  type Cloud,
  type CloudChoice,
  makeCloud,
  SOURCE_CHOICES,
  TARGET_CHOICES,
} from './clouds.js';
import {
  clear,
  drawCloud,
  drawPairs,
  drawPlan,
  drawTrajectories,
  SOURCE_COLOR,
  TARGET_COLOR,
  toData,
} from './draw.js';
import {
  type CouplingAnswer,
  PLAN_BINS,
  type TrainingAnswer,
  type TrainingRequest,
} from './messages.js';

const PAIRS_DRAWN = 400;
const TRAJECTORIES_DRAWN = 160;
const TIME_STEPS = 24;
/** TensorFlow.js backends for the flows, in order; `?tf=wasm` (or `cpu`, `webgl`) forces one. */
const TF_BACKENDS = new URLSearchParams(location.search).get('tf')?.split(',') ?? [
  'webgl',
  'wasm',
  'cpu',
];

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`#${id} is missing`);
  return found as T;
}

const ui = {
  source: element<HTMLSelectElement>('source'),
  target: element<HTMLSelectElement>('target'),
  count: element<HTMLSelectElement>('count'),
  clickTarget: element<HTMLSelectElement>('click-target'),
  clearClicks: element<HTMLButtonElement>('clear-clicks'),
  entropy: element<HTMLInputElement>('entropy'),
  entropyValue: element<HTMLOutputElement>('entropy-value'),
  couple: element<HTMLButtonElement>('couple'),
  couplingResult: element<HTMLParagraphElement>('coupling-result'),
  steps: element<HTMLInputElement>('steps'),
  train: element<HTMLButtonElement>('train'),
  cancel: element<HTMLButtonElement>('cancel'),
  progress: element<HTMLProgressElement>('progress'),
  status: element<HTMLParagraphElement>('status'),
  couplingCanvas: element<HTMLCanvasElement>('coupling-canvas'),
  planCanvas: element<HTMLCanvasElement>('plan-canvas'),
  ifmCanvas: element<HTMLCanvasElement>('ifm-canvas'),
  otfmCanvas: element<HTMLCanvasElement>('otfm-canvas'),
  ifmResult: element<HTMLSpanElement>('ifm-result'),
  otfmResult: element<HTMLSpanElement>('otfm-result'),
};

for (const [value, label] of Object.entries(SOURCE_CHOICES))
  ui.source.add(new Option(label, value));
for (const [value, label] of Object.entries(TARGET_CHOICES))
  ui.target.add(new Option(label, value));
ui.source.value = '8gaussians';
ui.target.value = 'moons';

const clicked = { source: [] as number[], target: [] as number[] };
let clouds: { x: Cloud; y: Cloud } = currentClouds();
let couplingWorker: Worker | null = null;
let trainingWorkers: Worker[] = [];
let animation = 0;

/** The page's state for tests and curious readers: `document.body.dataset`. */
function setState(key: 'coupling' | 'training', value: string): void {
  document.body.dataset[key] = value;
}

function currentClouds(): { x: Cloud; y: Cloud } {
  const count = Number(ui.count.value);
  const x = makeCloud(ui.source.value as CloudChoice, count, { seed: 1, clicked: clicked.source });
  const y = makeCloud(ui.target.value as CloudChoice, count, {
    seed: 2,
    source: x,
    clicked: clicked.target,
  });
  return { x, y };
}

function drawClouds(): void {
  drawPlan(ui.planCanvas, new Float32Array(PLAN_BINS * PLAN_BINS), PLAN_BINS);
  clear(ui.couplingCanvas);
  drawCloud(ui.couplingCanvas, clouds.x, SOURCE_COLOR);
  drawCloud(ui.couplingCanvas, clouds.y, TARGET_COLOR);
}

function cloudsChanged(): void {
  clouds = currentClouds();
  ui.couplingResult.textContent = '';
  setState('coupling', 'idle');
  drawClouds();
  const ready = clouds.x.n >= 2 && clouds.y.n >= 2;
  ui.couple.disabled = !ready;
  ui.train.disabled = !ready;
  if (!ready) ui.status.textContent = 'click at least two points for each clicked cloud';
}

function busy(working: boolean): void {
  ui.cancel.disabled = !working;
  ui.couple.disabled = working;
  ui.train.disabled = working;
}

function couple(): void {
  couplingWorker ??= new Worker(new URL('./coupling.worker.ts', import.meta.url), {
    type: 'module',
  });
  const worker = couplingWorker;
  const { x, y } = clouds;
  const targetEntropy = Number(ui.entropy.value);
  busy(true);
  setState('coupling', 'running');
  ui.status.textContent = `solving for E = ${targetEntropy.toFixed(2)} ...`;
  ui.progress.removeAttribute('value');
  worker.onmessage = (event: MessageEvent<CouplingAnswer>) => {
    const answer = event.data;
    if (answer.type === 'progress') {
      ui.status.textContent = answer.message;
      return;
    }
    busy(false);
    ui.progress.value = 1;
    if (answer.type === 'error') {
      setState('coupling', 'error');
      ui.status.textContent = `coupling failed: ${answer.message}`;
      return;
    }
    drawClouds();
    drawPairs(ui.couplingCanvas, x, y, answer.rows, answer.columns);
    drawPlan(ui.planCanvas, answer.plan, PLAN_BINS);
    ui.couplingResult.textContent =
      `epsilon ${answer.epsilon.toPrecision(3)} (${answer.relativeEpsilon.toPrecision(3)} std(C)), ` +
      `E ${answer.renormalizedEntropy.toFixed(3)}${answer.reached ? '' : ' (target not reached)'}, ` +
      `${answer.solves} solves, ${answer.iterations} iterations, ${(answer.seconds * 1000).toFixed(0)} ms`;
    ui.status.textContent = `${answer.backend}${answer.crossOriginIsolated ? '' : ' (not cross-origin isolated)'}`;
    setState('coupling', 'done');
  };
  worker.postMessage({ x: x.data, y: y.data, targetEntropy, pairCount: PAIRS_DRAWN });
}

function train(): void {
  cancelAnimationFrame(animation);
  const { x, y } = clouds;
  const steps = Math.max(10, Math.min(5000, Math.round(Number(ui.steps.value) || 400)));
  const targetEntropy = Number(ui.entropy.value);
  const starts = x.data.slice(0, 2 * Math.min(x.n, TRAJECTORIES_DRAWN));
  const runs = [
    { coupling: 'independent' as const, canvas: ui.ifmCanvas, result: ui.ifmResult },
    { coupling: 'sinkhorn' as const, canvas: ui.otfmCanvas, result: ui.otfmResult },
  ];
  const done: (Float32Array[] | null)[] = [null, null];
  const stepsDone = [0, 0];
  busy(true);
  setState('training', 'running');
  ui.progress.value = 0;
  ui.status.textContent = `training two flows for ${steps} steps ...`;
  trainingWorkers = runs.map((run, index) => {
    const worker = new Worker(new URL('./training.worker.ts', import.meta.url), {
      type: 'module',
    });
    clear(run.canvas);
    run.result.textContent = '';
    worker.onmessage = (event: MessageEvent<TrainingAnswer>) => {
      const answer = event.data;
      if (answer.type === 'progress') {
        stepsDone[index] = answer.step;
        ui.progress.value = (stepsDone[0]! + stepsDone[1]!) / (2 * steps);
        run.result.textContent = `(step ${answer.step}, loss ${answer.loss.toFixed(3)})`;
        return;
      }
      worker.terminate();
      if (answer.type === 'error') {
        stopTraining();
        setState('training', 'error');
        ui.status.textContent = `training failed: ${answer.message}`;
        return;
      }
      done[index] = answer.trajectories;
      run.result.textContent =
        `(loss ${answer.loss.toFixed(3)}, ${answer.seconds.toFixed(1)} s on tfjs ${answer.tfBackend}` +
        `${answer.renormalizedEntropy === null ? '' : `, E ${answer.renormalizedEntropy.toFixed(3)}`})`;
      if (done.every((entry) => entry !== null)) {
        trainingWorkers = [];
        busy(false);
        ui.progress.value = 1;
        ui.status.textContent =
          'trained: the flows move the source points along their trajectories';
        setState('training', 'done');
        animate(
          runs.map((entry, k) => ({ canvas: entry.canvas, trajectories: done[k]! })),
          y,
        );
      }
    };
    const request: TrainingRequest = {
      coupling: run.coupling,
      x: x.data,
      y: y.data,
      targetEntropy,
      steps,
      starts,
      timeSteps: TIME_STEPS,
      tfBackends: TF_BACKENDS,
    };
    worker.postMessage(request);
    return worker;
  });
}

/** Loops the trajectories: 2.5 s from t = 0 to t = 1, then a 1 s pause at the end. */
function animate(
  flows: { canvas: HTMLCanvasElement; trajectories: Float32Array[] }[],
  target: Cloud,
): void {
  const started = performance.now();
  const frame = (now: number) => {
    // A frame's time stamp may precede `started` (it is when the frame began).
    const phase = (Math.max(0, now - started) / 1000) % 3.5;
    const progress = Math.min(1, phase / 2.5);
    for (const flow of flows) drawTrajectories(flow.canvas, target, flow.trajectories, progress);
    animation = requestAnimationFrame(frame);
  };
  animation = requestAnimationFrame(frame);
}

function stopTraining(): void {
  for (const worker of trainingWorkers) worker.terminate();
  trainingWorkers = [];
}

function cancel(): void {
  stopTraining();
  // A solve cannot be interrupted between its passes from here: end its worker (a new one
  // starts with the next coupling).
  if (document.body.dataset.coupling === 'running') {
    couplingWorker?.terminate();
    couplingWorker = null;
    setState('coupling', 'cancelled');
  }
  if (document.body.dataset.training === 'running') setState('training', 'cancelled');
  busy(false);
  ui.progress.value = 0;
  ui.status.textContent = 'cancelled';
}

ui.couplingCanvas.addEventListener('click', (event) => {
  const rectangle = ui.couplingCanvas.getBoundingClientRect();
  const scale = ui.couplingCanvas.width / rectangle.width;
  const [px, py] = toData(
    ui.couplingCanvas,
    (event.clientX - rectangle.left) * scale,
    (event.clientY - rectangle.top) * scale,
  );
  const side = ui.clickTarget.value as 'source' | 'target';
  clicked[side].push(px, py);
  (side === 'source' ? ui.source : ui.target).value = 'clicked';
  cloudsChanged();
});
ui.clearClicks.addEventListener('click', () => {
  clicked.source.length = 0;
  clicked.target.length = 0;
  cloudsChanged();
});
for (const select of [ui.source, ui.target, ui.count])
  select.addEventListener('change', cloudsChanged);
ui.entropy.addEventListener('input', () => {
  ui.entropyValue.textContent = Number(ui.entropy.value).toFixed(2);
});
ui.couple.addEventListener('click', couple);
ui.train.addEventListener('click', train);
ui.cancel.addEventListener('click', cancel);

cloudsChanged();
