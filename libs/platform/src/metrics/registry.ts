/**
 * A small Prometheus registry (text exposition format 0.0.4): counters, gauges and histograms
 * with labels. No dependency. Label values are escaped (`\\`, `"`, newline); label sets are
 * bounded by the callers (command types, route templates, status codes: never raw URLs).
 */

export type Labels = Readonly<Record<string, string>>;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `\` → `\\`, `"` → `\"`, newline → `\n` (label values). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `\` → `\\`, newline → `\n` (HELP text). */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as Prometheus writes it: NaN, +Inf, -Inf or a number. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function renderLabels(names: readonly string[], values: readonly string[], extra?: [string, string]): string {
  const parts = names.map((n, i) => `${n}="${escapeLabelValue(values[i] ?? '')}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabelValue(extra[1])}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

interface Metric {
  readonly name: string;
  render(): string[];
}

abstract class Labelled<V> implements Metric {
  protected readonly series = new Map<string, { values: string[]; value: V }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {
    if (!NAME.test(name)) throw new Error(`Invalid metric name ${name}`);
    for (const l of labelNames) {
      if (!LABEL.test(l) || l.startsWith('__') || l === 'le') throw new Error(`Invalid label name ${l} on ${name}`);
    }
  }

  protected abstract readonly type: string;
  protected abstract initial(): V;
  protected abstract renderSeries(values: string[], value: V): string[];

  protected slot(labels: Labels): V {
    const values = this.labelNames.map((n) => {
      const v = labels[n];
      if (v === undefined) throw new Error(`Metric ${this.name} needs label ${n}`);
      return v;
    });
    const extra = Object.keys(labels).find((k) => !this.labelNames.includes(k));
    if (extra !== undefined) throw new Error(`Metric ${this.name} has no label ${extra}`);
    const key = JSON.stringify(values);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { values, value: this.initial() };
      this.series.set(key, entry);
    }
    return entry.value;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const { values, value } of this.series.values()) lines.push(...this.renderSeries(values, value));
    return lines;
  }

  reset(): void {
    this.series.clear();
  }
}

export class Counter extends Labelled<{ n: number }> {
  protected readonly type = 'counter';
  protected initial() {
    return { n: 0 };
  }
  inc(labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) throw new Error(`Counter ${this.name} can only go up`);
    this.slot(labels).n += by;
  }
  get(labels: Labels = {}): number {
    return this.slot(labels).n;
  }
  protected renderSeries(values: string[], value: { n: number }): string[] {
    return [`${this.name}${renderLabels(this.labelNames, values)} ${formatValue(value.n)}`];
  }
}

export class Gauge extends Labelled<{ n: number }> {
  protected readonly type = 'gauge';
  protected initial() {
    return { n: 0 };
  }
  set(labels: Labels, value: number): void {
    this.slot(labels).n = value;
  }
  inc(labels: Labels = {}, by = 1): void {
    this.slot(labels).n += by;
  }
  dec(labels: Labels = {}, by = 1): void {
    this.slot(labels).n -= by;
  }
  get(labels: Labels = {}): number {
    return this.slot(labels).n;
  }
  protected renderSeries(values: string[], value: { n: number }): string[] {
    return [`${this.name}${renderLabels(this.labelNames, values)} ${formatValue(value.n)}`];
  }
}

interface HistogramValue {
  /** Per bucket (not cumulative); the last one is +Inf. */
  readonly counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Labelled<HistogramValue> {
  protected readonly type = 'histogram';
  readonly buckets: readonly number[];

  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    super(name, help, labelNames);
    const sorted = [...buckets].sort((a, b) => a - b);
    if (sorted.length === 0 || sorted.some((b, i) => !Number.isFinite(b) || (i > 0 && b === sorted[i - 1]))) {
      throw new Error(`Histogram ${name} needs distinct finite buckets`);
    }
    this.buckets = sorted;
  }

  protected initial(): HistogramValue {
    return { counts: new Array<number>(this.buckets.length + 1).fill(0), sum: 0, count: 0 };
  }

  observe(labels: Labels, value: number): void {
    const slot = this.slot(labels);
    let i = this.buckets.findIndex((b) => value <= b);
    if (i < 0) i = this.buckets.length;
    slot.counts[i] = (slot.counts[i] ?? 0) + 1;
    slot.sum += value;
    slot.count += 1;
  }

  /** Observations so far with these labels: count and sum. */
  get(labels: Labels = {}): { count: number; sum: number } {
    const slot = this.slot(labels);
    return { count: slot.count, sum: slot.sum };
  }

  protected renderSeries(values: string[], value: HistogramValue): string[] {
    const lines: string[] = [];
    let cumulative = 0;
    this.buckets.forEach((b, i) => {
      cumulative += value.counts[i] ?? 0;
      lines.push(`${this.name}_bucket${renderLabels(this.labelNames, values, ['le', formatValue(b)])} ${cumulative}`);
    });
    lines.push(`${this.name}_bucket${renderLabels(this.labelNames, values, ['le', '+Inf'])} ${value.count}`);
    lines.push(`${this.name}_sum${renderLabels(this.labelNames, values)} ${formatValue(value.sum)}`);
    lines.push(`${this.name}_count${renderLabels(this.labelNames, values)} ${value.count}`);
    return lines;
  }
}

export class Registry {
  private readonly metrics = new Map<string, Metric>();

  private add<M extends Metric>(metric: M): M {
    if (this.metrics.has(metric.name)) throw new Error(`Metric ${metric.name} is registered twice`);
    this.metrics.set(metric.name, metric);
    return metric;
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.add(new Counter(name, help, labelNames));
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.add(new Gauge(name, help, labelNames));
  }

  histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, labelNames, buckets));
  }

  /** Every metric in the text format 0.0.4, ending with a newline. */
  render(): string {
    const lines: string[] = [];
    for (const metric of this.metrics.values()) lines.push(...metric.render());
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }
}
