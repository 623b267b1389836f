import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readGitInfo, redactRemoteUrl } from './git-info.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'pitwall-git-test-'));
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();

describe('redactRemoteUrl', () => {
  it('drops user and password from URLs, keeps scp-like remotes', () => {
    assert.equal(redactRemoteUrl('https://bob:ghp_token@github.com/acme/x.git'), 'https://github.com/acme/x.git');
    assert.equal(redactRemoteUrl('https://oauth2:tok@gitlab.com/a/b'), 'https://gitlab.com/a/b');
    assert.equal(redactRemoteUrl('ssh://git:pw@host.example/a.git'), 'ssh://git@host.example/a.git');
    assert.equal(redactRemoteUrl('git@github.com:acme/x.git'), 'git@github.com:acme/x.git');
  });
});

describe('readGitInfo', () => {
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('is undefined outside a repository and in a repository without commits', async () => {
    assert.equal(await readGitInfo(tmp), undefined);
    const empty = path.join(tmp, 'empty');
    execFileSync('mkdir', [empty]);
    git(empty, 'init', '-q');
    assert.equal(await readGitInfo(empty), undefined);
  });

  it('omits the branch on a detached HEAD and the URL without origin', async () => {
    const repo = path.join(tmp, 'detached');
    execFileSync('mkdir', [repo]);
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(repo, 'a'), '1');
    git(repo, 'add', 'a');
    git(repo, 'commit', '-q', '-m', 'one');
    const head = git(repo, 'rev-parse', 'HEAD');
    assert.deepEqual(await readGitInfo(repo), { commit: head, branch: 'main', dirty: false });
    git(repo, 'checkout', '-q', '--detach');
    assert.deepEqual(await readGitInfo(path.join(repo)), { commit: head, dirty: false });
  });
});
