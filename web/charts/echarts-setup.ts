import { use } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { BarChart, HeatmapChart, LineChart, MapChart, PieChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'

// Only the charts and components the panels use, so the bundle stays small. SVG stays crisp under
// the wall screen's CSS scale, where a canvas would be resampled and blur.
use([SVGRenderer, BarChart, HeatmapChart, LineChart, MapChart, PieChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent])
