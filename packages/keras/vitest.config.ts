import { recurVitestConfig } from '../../vitest.shared.ts';

export default recurVitestConfig();
