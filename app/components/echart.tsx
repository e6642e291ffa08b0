import type { EChartsCoreOption } from 'echarts/core'
import { useEffect, useRef } from 'react'

/** The site's red for the figure itself, its grey for what it is compared with. */
const SERIES_COLORS = ['#b4232a', '#5b6470', '#d9822b']

/**
 * An Apache ECharts chart, drawn in the browser once the page has loaded. The page always
 * carries the same figures as a table (ChartTable), so without JavaScript, or for a screen
 * reader, nothing is lost. Clicking a data point calls `onSelect` with its index.
 */
export function EChart({
  option,
  label,
  height = 320,
  onSelect,
}: {
  option: EChartsCoreOption
  label: string
  height?: number
  onSelect?: (dataIndex: number) => void
}) {
  const container = useRef<HTMLDivElement>(null)
  // The latest handler, without redrawing the chart when only the handler changes.
  const select = useRef(onSelect)
  useEffect(() => {
    select.current = onSelect
  })
  useEffect(() => {
    let disposed = false
    let dispose = () => {}
    void import('./echarts.client').then(({ init }) => {
      const element = container.current
      if (disposed || !element) return
      const chart = init(element, undefined, { renderer: 'svg' })
      chart.setOption({
        aria: { enabled: true },
        animation: false,
        color: SERIES_COLORS,
        ...option,
      })
      chart.on('click', (event) => select.current?.(event.dataIndex))
      const resize = new ResizeObserver(() => chart.resize())
      resize.observe(element)
      dispose = () => {
        resize.disconnect()
        chart.dispose()
      }
    })
    return () => {
      disposed = true
      dispose()
    }
  }, [option])
  return <div ref={container} className="echart" style={{ height }} role="img" aria-label={label} />
}
