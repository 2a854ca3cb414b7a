/** Locates the Python command-line tools the tests need (moto_server, cfn-lint) and says how to install a missing one. */
import * as fs from 'fs';
import * as path from 'path';

/**
 * Returns the absolute path of `command` on PATH, or throws with the install command.
 *
 * Checked up front because a missing tool would otherwise surface as a bare ENOENT from spawn,
 * which says nothing about how to fix it.
 */
export function requirePythonTool(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory: keep looking
    }
  }
  throw new Error(missingToolMessage(command));
}

export function missingToolMessage(command: string): string {
  return `${command} not found: run \`python3 -m pip install -r requirements-dev.txt\` (README, Set up)`;
}
