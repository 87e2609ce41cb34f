// Debian's Chromium for the page tests (no browser download): where it is, whether it is there, and
// a headless launch with the flags this sandbox needs. Without it the browser tests fail in CI
// (a test says so) and are skipped, with a message, elsewhere.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = fs.existsSync(CHROMIUM);
/** Screenshots kept from a test run. */
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

export function warnIfNoChromium(file: string): void {
  if (!haveChromium && !process.env.CI) console.warn(`${file}: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH): skipping the browser tests`);
}

export const noChromiumMessage = () => `No Chromium at ${CHROMIUM}: install it or set CHROMIUM_PATH`;

export async function launchChromium(): Promise<Browser> {
  const { default: puppeteer } = await import('puppeteer-core');
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}
