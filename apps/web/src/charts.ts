/**
 * Charts with chart.js (only the parts used are registered, so the bundle stays small). Every
 * chart is a <canvas role="img"> with a text summary as its label and the same numbers in a table
 * beside it, for screen readers and keyboard users.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

/** Colours with at least 4.5:1 contrast on white (text and legend use them too). */
export const COLORS = {
  target: '#4b5563',
  achieved: '#1d4ed8',
  collected: '#047857',
  aging: ['#047857', '#a16207', '#c2410c', '#b91c1c', '#7f1d1d'],
} as const;

export interface Series {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  readonly kind: 'bar' | 'line';
  readonly dashed?: boolean;
}

/**
 * A chart over `labels` on a canvas; `update` replaces the data in place (live updates do not
 * rebuild the chart, and nothing animates).
 */
export class BarLineChart {
  private chart: Chart | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly formatTick: (value: number) => string,
  ) {}

  update(labels: readonly string[], series: readonly Series[], summary: string): void {
    this.canvas.setAttribute('aria-label', summary);
    const datasets = series.map((s) => ({
      type: s.kind,
      label: s.label,
      data: [...s.values],
      backgroundColor: s.color,
      borderColor: s.color,
      borderWidth: s.kind === 'line' ? 2 : 0,
      borderDash: s.dashed ? [6, 4] : [],
      pointRadius: s.kind === 'line' ? 3 : 0,
      order: s.kind === 'line' ? 0 : 1,
    }));
    if (this.chart) {
      this.chart.data.labels = [...labels];
      this.chart.data.datasets = datasets as never;
      this.chart.update('none');
      return;
    }
    const config: ChartConfiguration<'bar' | 'line'> = {
      type: 'bar',
      data: { labels: [...labels], datasets: datasets as never },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { position: 'bottom', labels: { color: '#1f2937', font: { size: 13 } } },
          tooltip: {
            callbacks: {
              label: (item) => `${item.dataset.label ?? ''}: ${this.formatTick(Number(item.raw ?? 0))}`,
            },
          },
        },
        scales: {
          x: { ticks: { color: '#374151' }, grid: { display: false } },
          y: {
            beginAtZero: true,
            ticks: { color: '#374151', callback: (value) => this.formatTick(Number(value)) },
          },
        },
      },
    };
    this.chart = new Chart(this.canvas, config);
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
  }
}
