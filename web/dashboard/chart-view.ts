import { fitLabel, type ChartSpec } from './dashboard-charts.js';

/**
 * Draws a chart spec with Chart.js 4, loaded by a plain `<script src>` as the UMD global `Chart`
 * (served from this origin: the CSP allows scripts from 'self' only). Only the few members the
 * dashboard uses are typed here.
 */
interface ChartInstance {
  destroy(): void;
}
interface ChartConstructor {
  new (canvas: HTMLCanvasElement, config: unknown): ChartInstance;
  getChart(canvas: HTMLCanvasElement): ChartInstance | undefined;
}

/** Colours with enough contrast on white, told apart by the dash pattern too (not colour alone). */
const COLOURS = ['#a3161b', '#0b5cad', '#2e7d32', '#6a3d9a', '#b35900', '#00695c'];
const DASHES: number[][] = [[], [6, 4], [2, 3]];

function chartLibrary(): ChartConstructor | null {
  return (globalThis as { Chart?: ChartConstructor }).Chart ?? null;
}

/** Whether Chart.js loaded (a failed vendor script leaves the tables, which carry the same data). */
export function chartsAvailable(): boolean {
  return chartLibrary() !== null;
}

/** Draws (or redraws) the spec on the canvas; false when Chart.js is missing. */
export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec): boolean {
  const Chart = chartLibrary();
  if (!Chart) return false;
  Chart.getChart(canvas)?.destroy();
  const reduceMotion = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  new Chart(canvas, {
    type: spec.kind,
    data: {
      labels: spec.labels,
      datasets: spec.datasets.map((d, i) => ({
        label: d.label,
        data: d.data,
        borderColor: COLOURS[i % COLOURS.length],
        backgroundColor: COLOURS[i % COLOURS.length],
        borderDash: spec.kind === 'line' ? DASHES[i % DASHES.length] : undefined,
        borderWidth: 2,
        maxBarThickness: 32,
        pointRadius: spec.labels.length > 60 ? 0 : 3,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: reduceMotion ? false : { duration: 250 },
      indexAxis: spec.horizontal ? 'y' : 'x',
      locale: 'vi-VN',
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { display: spec.datasets.length > 1, position: 'bottom' } },
      scales: {
        [spec.horizontal ? 'x' : 'y']: { beginAtZero: true, ticks: { precision: 0 } },
        [spec.horizontal ? 'y' : 'x']: {
          ticks: {
            autoSkip: true,
            maxRotation: 0,
            // Category names beside horizontal bars get at most about 40% of the width: Chart.js
            // would otherwise squeeze the bars to nothing on a phone (the tooltip and table keep the whole name).
            ...(spec.horizontal
              ? {
                  callback(this: { getLabelForValue(v: number): string }, value: number) {
                    return fitLabel(this.getLabelForValue(value), canvas.parentElement?.clientWidth ?? 600);
                  },
                }
              : {}),
          },
        },
      },
    },
  });
  return true;
}
