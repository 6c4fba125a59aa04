// A chart drawn by Chart.js on a canvas, rebuilt when its configuration changes. Animation off:
// the figures are there at once, on screen and on paper (the page is printed for funding bodies).
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif';
Chart.defaults.color = '#1c2430';

/** The colours of the figures, the same in every chart of the page. */
export const figureColours = {
  used: '#1f9a5a',
  booked: '#2f6fd0',
  available: '#c3c9d1',
  noShow: '#f2b441',
  maintenance: '#c0504d',
  institute: '#2563c9',
  university: '#8e5cc9',
  industry: '#d9822b',
} as const;

export function ChartCanvas(props: { name: string; label: string; config: ChartConfiguration; height?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return undefined;
    const chart = new Chart(canvas.current, { ...props.config, options: { responsive: true, maintainAspectRatio: false, ...props.config.options } });
    return () => chart.destroy();
  }, [props.config]);
  return (
    // A style object is set through the CSSOM, which the page's content security policy allows.
    <div class="chart-box" style={{ height: `${props.height ?? 280}px` }}>
      <canvas ref={canvas} role="img" aria-label={props.label} data-chart={props.name} />
    </div>
  );
}
