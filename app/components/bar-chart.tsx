export interface Bar {
  label: string
  value: number
  /** Shown above the bar, e.g. "12.3 亿元". */
  display: string
}

/** A plain SVG column chart, readable without JavaScript. */
export function BarChart({ bars, title }: { bars: Bar[]; title: string }) {
  const width = 640
  const height = 240
  const padding = { top: 28, bottom: 32, side: 16 }
  const max = Math.max(1, ...bars.map((bar) => bar.value))
  const slot = (width - padding.side * 2) / Math.max(bars.length, 1)
  const plotHeight = height - padding.top - padding.bottom
  const y = (value: number) => padding.top + plotHeight * (1 - value / max)
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        <title>{title}</title>
        {bars.map((bar, index) => {
          const x = padding.side + index * slot + slot * 0.2
          return (
            <g key={bar.label}>
              <rect
                x={x}
                y={y(bar.value)}
                width={slot * 0.6}
                height={Math.max(0, height - padding.bottom - y(bar.value))}
                className="chart__bar"
              />
              <text
                x={x + slot * 0.3}
                y={y(bar.value) - 6}
                textAnchor="middle"
                className="chart__value"
              >
                {bar.display}
              </text>
              <text x={x + slot * 0.3} y={height - 10} textAnchor="middle" className="chart__label">
                {bar.label}
              </text>
            </g>
          )
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  )
}
