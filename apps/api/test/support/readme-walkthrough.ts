import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { type Exit, spawnTracked } from './built-app';

export interface ReadmeBlock {
  /** The closest heading above the block. */
  heading: string;
  /** The block exactly as the README shows it. */
  source: string;
  /**
   * The answer the README shows under the commands (its trailing `# …` comment lines joined), when
   * there is one.
   */
  documentedOutput?: string;
}

/**
 * The ```bash blocks of one `## ` section of a Markdown file, its `###` subsections included, in
 * order.
 */
export function bashBlocksOfSection(markdown: string, section: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${section}`);
  if (start < 0) throw new Error(`no "## ${section}" section`);
  const end = lines.findIndex((line, index) => index > start && /^## /.test(line));
  const body = lines.slice(start, end < 0 ? undefined : end);

  const blocks: ReadmeBlock[] = [];
  let heading = section;
  let open: string[] | undefined;
  for (const line of body) {
    if (open) {
      if (line.trim() === '```') {
        blocks.push(toBlock(heading, open));
        open = undefined;
      } else {
        open.push(line);
      }
    } else if (/^#{2,6} /.test(line)) {
      heading = line.replace(/^#+ /, '').trim();
    } else if (line.trim() === '```bash') {
      open = [];
    }
  }
  if (open) throw new Error(`unclosed \`\`\`bash block under "${heading}"`);
  return blocks;
}

function toBlock(heading: string, lines: string[]): ReadmeBlock {
  const trailing: string[] = [];
  for (let index = lines.length - 1; index >= 0 && /^\s*#/.test(lines[index]!); index--) {
    trailing.unshift(lines[index]!.replace(/^\s*# ?/, ''));
  }
  return {
    heading,
    source: lines.join('\n'),
    ...(trailing.length > 0 ? { documentedOutput: trailing.map((line) => line.trim()).join('') } : {}),
  };
}

export interface BlockRun {
  stdout: string;
  stderr: string;
  /** Exit status of the block's last command (`pipefail` on). */
  status: number;
}

/**
 * Runs the blocks one after the other in ONE bash process, as a person pasting them into one
 * terminal would: variables and functions carry over. Each block's output is captured separately.
 */
export async function runBlocksInOneShell(
  sources: string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    workDir: string;
    timeoutMs: number;
  },
): Promise<{ runs: BlockRun[]; exit: Exit; stderr: string }> {
  mkdirSync(options.workDir, { recursive: true });
  const file = (index: number, kind: string) => join(options.workDir, `${index}.${kind}`);
  const quoted = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;
  // Braces keep a block in the current shell, unlike a subshell, so its assignments survive.
  const script = [
    'set -o pipefail',
    ...sources.map((source, index) =>
      [
        '{',
        source,
        `} >${quoted(file(index, 'out'))} 2>${quoted(file(index, 'err'))} </dev/null`,
        `echo $? >${quoted(file(index, 'status'))}`,
      ].join('\n'),
    ),
  ].join('\n');
  const scriptFile = join(options.workDir, 'walkthrough.sh');
  writeFileSync(scriptFile, script + '\n');

  const shell = spawnTracked('bash', [scriptFile], { cwd: options.cwd, env: options.env });
  const exit = await shell.waitForExit(options.timeoutMs);
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  const runs = sources.map((_, index) => ({
    stdout: read(file(index, 'out')),
    stderr: read(file(index, 'err')),
    status: Number(read(file(index, 'status')).trim() || NaN),
  }));
  return { runs, exit, stderr: shell.stderr };
}
