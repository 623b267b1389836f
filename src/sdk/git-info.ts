import { execFile } from 'node:child_process';

export interface GitInfo {
  commit: string;
  /** Absent on a detached HEAD. */
  branch?: string;
  /** `origin`'s URL with any credentials removed; absent without an `origin` remote. */
  repoUrl?: string;
  /**
   * True when tracked files differ from HEAD (untracked files don't count, as in GitPython's `is_dirty()`);
   * absent when `git status` failed.
   */
  dirty?: boolean;
}

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', ['--no-optional-locks', ...args], { cwd, timeout: 5_000, windowsHide: true, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}

/** Removes `user:password@` from an http(s)/ssh URL so tokens never land in a tag; scp-like `git@host:x` is kept. */
export function redactRemoteUrl(raw: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return raw;
  try {
    const u = new URL(raw);
    if (u.protocol === 'ssh:' || u.protocol === 'git+ssh:') {
      u.password = '';
      return u.toString();
    }
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return raw.replace(/\/\/[^/@]*@/, '//');
  }
}

/**
 * Reads commit, branch, origin URL and dirtiness of the git work tree holding `cwd`, through the `git` binary (no shell).
 * Resolves `undefined` outside a repository, in a repository without commits, or where `git` is not installed.
 */
export async function readGitInfo(cwd: string): Promise<GitInfo | undefined> {
  let commit: string;
  try {
    commit = (await git(cwd, ['rev-parse', '--verify', 'HEAD'])).trim();
  } catch {
    return undefined;
  }
  if (!/^[0-9a-f]{7,64}$/.test(commit)) return undefined;
  const [branch, remote, status] = await Promise.all([
    git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']).then((s) => s.trim(), () => ''),
    git(cwd, ['config', '--get', 'remote.origin.url']).then((s) => s.trim(), () => ''),
    git(cwd, ['status', '--porcelain', '--untracked-files=no']).then((s) => s, () => undefined),
  ]);
  const info: GitInfo = { commit };
  if (status !== undefined) info.dirty = status.trim() !== '';
  if (branch && branch !== 'HEAD') info.branch = branch;
  if (remote) info.repoUrl = redactRemoteUrl(remote);
  return info;
}
