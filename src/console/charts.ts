import { escapeHtml } from './errors.js';

/**
 * Charts drawn on the server: Apache ECharts renders SVG strings (its SSR mode, no DOM, no script in
 * the browser), which a template puts into the page with `<%~ %>`. Every chart is an image with its
 * numbers in words (`role="img"`, `aria-label`), so a screen reader hears what the eye sees.
 *
 * ECharts is loaded on the first chart, not at start: importing it costs ≈ 0.7 s, which every start
 * of the app (and every test) would pay for pages most of them never open.
 */
type Core = typeof import('echarts/core');
let loading: Promise<Core> | undefined;

function echarts(): Promise<Core> {
  loading ??= (async () => {
    const [core, charts, components, renderers] = await Promise.all([
      import('echarts/core'),
      import('echarts/charts'),
      import('echarts/components'),
      import('echarts/renderers'),
    ]);
    core.use([charts.LineChart, charts.MapChart, components.GridComponent, renderers.SVGRenderer]);
    return core;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** Renders one chart to an SVG string and frees it; the SVG carries `role="img"` and the label. */
async function render(option: Record<string, unknown>, size: { width: number; height: number }, label: string): Promise<string> {
  const core = await echarts();
  const chart = core.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, ...option });
    return accessible(chart.renderToSVGString(), label);
  } finally {
    chart.dispose();
  }
}

/**
 * The SVG as an image with its description; ECharts' hover styles dropped (nothing is interactive
 * here, and a hover that repaints a district would only mislead).
 */
function accessible(svg: string, label: string): string {
  return svg
    .replace(/<style\b[\s\S]*?<\/style>/g, '')
    .replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(label)}" focusable="false" `);
}

// ---------------------------------------------------------------------------------------------
// The sparkline: one figure over the last periods
// ---------------------------------------------------------------------------------------------

/**
 * Sparklines drawn lately, by their input. A chart is a pure function of its values, label and size,
 * so a kept SVG is exactly the one a new rendering would give; and rendering is ≈ 3 ms of the event
 * loop each (ECharts' SSR), a page of ratings ≈ 20 of them whose scores change only when the facts
 * do. Least recently used first out; a few hundred entries of ≈ 2 KB.
 */
const drawn = new Map<string, Promise<string>>();
const DRAWN_MAX = 500;

/** A small line of `values` (oldest first; null: no value, a gap); `label` says the numbers in words. */
export function sparkline(values: readonly (number | null)[], label: string, size = { width: 120, height: 32 }): Promise<string> {
  const key = JSON.stringify([values, label, size.width, size.height]);
  const known = drawn.get(key);
  if (known) {
    drawn.delete(key);
    drawn.set(key, known);
    return known;
  }
  const svg = drawSparkline(values, label, size);
  drawn.set(key, svg);
  svg.catch(() => drawn.delete(key));
  if (drawn.size > DRAWN_MAX) drawn.delete(drawn.keys().next().value as string);
  return svg;
}

function drawSparkline(
  values: readonly (number | null)[],
  label: string,
  size: { width: number; height: number },
): Promise<string> {
  const known = values.filter((v): v is number => v !== null);
  return render(
    {
      grid: { left: 3, right: 3, top: 3, bottom: 3 },
      xAxis: { type: 'category', show: false, boundaryGap: false, data: values.map((_, i) => String(i)) },
      yAxis: {
        type: 'value',
        show: false,
        // A flat line sits in the middle, not on the floor.
        min: known.length ? Math.min(...known) - 1 : 0,
        max: known.length ? Math.max(...known) + 1 : 1,
      },
      series: [
        {
          type: 'line',
          data: values.map((v) => (v === null ? '-' : v)),
          showSymbol: true,
          symbolSize: 3,
          connectNulls: false,
          lineStyle: { color: '#0b57a4', width: 2 },
          itemStyle: { color: '#0b57a4' },
        },
      ],
    },
    size,
    label,
  );
}

// ---------------------------------------------------------------------------------------------
// The heat scale: shades for the heat map's grid and its map, with a text colour that reads on each
// ---------------------------------------------------------------------------------------------

/** Five shades of blue, light to dark; an empty cell has none (white). */
export const HEAT_SHADES = ['#deebf7', '#9ecae1', '#4292c6', '#2171b5', '#08306b'] as const;
export const NO_SHADE = '#ffffff';

/** The WCAG relative luminance of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** The WCAG contrast ratio of two `#rrggbb` colours (1–21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white, whichever contrasts more with `background`: at least 4.58:1 on any colour (WCAG AA). */
export function textOn(background: string): '#000000' | '#ffffff' {
  return contrast(background, '#000000') >= contrast(background, '#ffffff') ? '#000000' : '#ffffff';
}

export interface HeatLevel {
  /** 0: no value or zero; 1–5: the shade. */
  level: number;
  background: string;
  color: string;
}

/** The shade of `value` on a scale up to `max`: five equal steps of (0, max]. */
export function heatLevel(value: number | null, max: number): HeatLevel {
  if (value === null || value <= 0 || max <= 0) return { level: 0, background: NO_SHADE, color: '#1a1a1a' };
  const level = Math.min(HEAT_SHADES.length, Math.max(1, Math.ceil((value / max) * HEAT_SHADES.length)));
  const background = HEAT_SHADES[level - 1] as string;
  return { level, background, color: textOn(background) };
}

/** The legend's steps: each shade with the values it covers, (from, to]. */
export function heatLegend(max: number): { level: number; from: number; to: number; background: string; color: string }[] {
  if (max <= 0) return [];
  return HEAT_SHADES.map((background, i) => ({
    level: i + 1,
    from: (max * i) / HEAT_SHADES.length,
    to: (max * (i + 1)) / HEAT_SHADES.length,
    background,
    color: textOn(background),
  }));
}

// ---------------------------------------------------------------------------------------------
// The choropleth: the districts shaded by their value
// ---------------------------------------------------------------------------------------------

/** A GeoJSON FeatureCollection of the districts whose features carry a `name` and their `value`. */
export interface DistrictShapes {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: { name: string; value: number | null }; geometry: unknown }[];
}

/** The registered maps by the boundaries they were made from: registered once, as a map is global state in ECharts. */
const registered = new WeakMap<object, string>();
let maps = 0;

/**
 * The districts shaded on the heat scale up to `max`, each labelled with its name and value. `source`
 * is the object the shapes come from (the domain file's boundaries, loaded once at start): the
 * geometry is registered with ECharts once per source, the values are each rendering's.
 */
export async function choropleth(
  shapes: DistrictShapes,
  max: number,
  options: {
    source: object;
    label: string;
    format: (v: number | null) => string;
    size?: { width: number; height: number };
  },
): Promise<string> {
  const core = await echarts();
  let name = registered.get(options.source);
  if (!name) {
    name = `districts-${++maps}`;
    core.registerMap(name, shapes as unknown as Parameters<Core['registerMap']>[1]);
    registered.set(options.source, name);
  }
  return render(
    {
      series: [
        {
          type: 'map',
          map: name,
          roam: false,
          selectedMode: false,
          emphasis: { disabled: true },
          itemStyle: { borderColor: '#5c5c5c', borderWidth: 1 },
          label: { show: true, fontSize: 13 },
          data: shapes.features.map((f) => {
            const shade = heatLevel(f.properties.value, max);
            return {
              name: f.properties.name,
              value: f.properties.value,
              itemStyle: { areaColor: shade.background },
              label: { color: shade.color, formatter: `${f.properties.name}\n${options.format(f.properties.value)}` },
            };
          }),
        },
      ],
    },
    options.size ?? { width: 640, height: 420 },
    options.label,
  );
}
