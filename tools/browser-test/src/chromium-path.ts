/** Debian's Chromium, which CI installs (`apt-get install chromium`) before the tests. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
