import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { REPO } from './pitwall-process.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots the browser tests leave behind for a person to look at. */
export const SHOTS = path.join(REPO, '.tmp', 'ui-e2e');

/** Outside CI a machine without Chromium skips with the reason; in CI (CI=true) a missing browser fails the run. */
export const browserSkip: string | false = existsSync(CHROMIUM) || process.env.CI ? false : `${CHROMIUM} is missing (apt-get install -y chromium)`;

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, in a fresh profile, with the flags this machine needs (no sandbox as root, no
 * background networking, whose connections the closed network refuses).
 */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
