// The parts of Apache ECharts the dashboard draws with, registered once: bars, lines, a target
// mark line, tooltips, legends and the ARIA description, drawn as SVG. Imported on demand by
// EChart, so pages without charts never load it.
import { BarChart, LineChart } from 'echarts/charts'
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components'
import { init, use } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'

use([
  BarChart,
  LineChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  SVGRenderer,
])

export { init }
