/** Where the test harness keeps its files: the repository root and the git-ignored `.out` directory. */
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Git-ignored, so server logs and synthesized assemblies never show up as changes. */
export const OUT_DIR = path.join(REPO_ROOT, '.out');
