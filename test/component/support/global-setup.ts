// Component tests render the pages with the TDesign copy and bundles that ship, so build them
// first: a stale miniprogram_npm/ (say, without a component a page just started using) would
// fail in confusing ways.
import { buildMiniprogram } from '../../../scripts/build/miniprogram'

export default async function globalSetup(): Promise<void> {
  await buildMiniprogram()
}
