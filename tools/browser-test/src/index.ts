export { startStaticServer, type ServedFile, type StaticServer } from './start-static-server.js';
export { bundlePage, type BundlePageOptions } from './bundle-page.js';
export {
  launchChromium,
  DEFAULT_CHROMIUM_FLAGS,
  type ChromiumPage,
  type LaunchChromiumOptions,
} from './launch-chromium.js';
export { describeWithChromium } from './describe-with-chromium.js';
export { CHROMIUM_PATH } from './chromium-path.js';
