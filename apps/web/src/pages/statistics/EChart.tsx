import type { BarSeriesOption, FunnelSeriesOption, LineSeriesOption } from 'echarts/charts';
import { BarChart, FunnelChart, LineChart } from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import {
  init,
  use as registerParts,
  type ComposeOption,
  type ECElementEvent,
  type ECharts,
} from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the statistics pages draw goes into the bundle (tree-shaken `echarts/core`).
registerParts([
  BarChart,
  LineChart,
  FunnelChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | FunnelSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
>;

/** What was clicked: a data item (bar, point, funnel layer) or an axis label (`triggerEvent`). */
export interface ChartClick {
  componentType: string;
  name: string;
  dataIndex: number;
  /** An axis label's text, when an axis label was clicked. */
  value: unknown;
}

/**
 * jsdom (component tests) has no 2D canvas: ECharts would fail there, so the chart is not drawn
 * and only its labelled container remains. Real browsers always draw.
 */
function canDraw(): boolean {
  return typeof navigator !== 'undefined' && !/jsdom/i.test(navigator.userAgent);
}

/**
 * One ECharts chart: created on mount, given `option` whenever it changes (replacing the previous
 * one), resized with its container, disposed on unmount. `label` names the chart for screen
 * readers and tests.
 */
export function EChart({
  option,
  onClick,
  height = 320,
  label,
}: {
  option: ChartOption;
  onClick?: (click: ChartClick) => void;
  height?: number;
  label: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const clickHandler = useRef(onClick);
  useEffect(() => {
    clickHandler.current = onClick;
  });

  useEffect(() => {
    const element = container.current;
    if (!element || !canDraw()) return undefined;
    const instance = init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (event: ECElementEvent) => {
      clickHandler.current?.({
        componentType: event.componentType,
        name: event.name,
        dataIndex: event.dataIndex,
        value: event.value,
      });
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <div
      ref={container}
      role="img"
      aria-label={label}
      data-testid="echart"
      style={{ width: '100%', height }}
    />
  );
}
