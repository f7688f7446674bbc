/**
 * Firefox for the smoke suite: where it is, how it is launched (WebDriver BiDi, through
 * puppeteer-core, which downloads no browser), and the book served as a plain static host serves it.
 * Kept apart from smoke.test.ts so that the test file reads as the reader's steps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import puppeteer, { type Browser } from 'puppeteer-core';
import { ROOT } from '../src/examples/files.ts';

/** Where Firefox is, or why there is none to use. `fatal`: a reason that must fail the suite, not skip it. */
export type FirefoxLookup = { path: string } | { missing: string; fatal: boolean };

/** FIREFOX_PATH, else Debian's firefox-esr or firefox, else a reader's installed Firefox on macOS or Windows. */
export function findFirefox(env: NodeJS.ProcessEnv = process.env): FirefoxLookup {
  if (env.FIREFOX_PATH) {
    return existsSync(env.FIREFOX_PATH)
      ? { path: env.FIREFOX_PATH }
      : { missing: `FIREFOX_PATH is set to ${env.FIREFOX_PATH}, which does not exist.`, fatal: true };
  }
  const candidates = ['/usr/bin/firefox-esr', '/usr/bin/firefox'];
  if (process.platform === 'darwin') {
    candidates.push('/Applications/Firefox.app/Contents/MacOS/firefox', path.join(homedir(), 'Applications/Firefox.app/Contents/MacOS/firefox'));
  }
  if (process.platform === 'win32') {
    for (const base of [env.ProgramFiles, env['ProgramFiles(x86)'], env.LOCALAPPDATA]) {
      if (base) candidates.push(path.join(base, 'Mozilla Firefox', 'firefox.exe'));
    }
  }
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found) return { path: found };
  return {
    missing: `no Firefox found (looked at ${candidates.join(', ')}): install it (apt-get install firefox-esr) or set FIREFOX_PATH.`,
    // .ci/run installs firefox-esr, so in CI a missing Firefox is a broken machine, not a reason to skip.
    fatal: Boolean(env.CI),
  };
}

/**
 * A quiet Firefox: no updates, telemetry, studies, safe browsing, captive portal or connectivity
 * checks, push, DNS-over-HTTPS or prefetching. (puppeteer's own profile sets many of these too;
 * they are repeated here so the suite says what it relies on.) On a release build, Remote
 * Settings ignores the server preference unless MOZ_DISABLE_NONLOCAL_CONNECTIONS is set, which
 * launchFirefox() does: with it, Firefox refuses any connection that is not to this machine.
 */
export const QUIET_PREFS: Record<string, string | number | boolean> = {
  'app.update.auto': false,
  'app.update.enabled': false,
  'app.update.checkInstallTime': false,
  'app.normandy.enabled': false,
  'app.normandy.api_url': '',
  'app.shield.optoutstudies.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.telemetry.newProfilePing.enabled': false,
  'toolkit.telemetry.shutdownPingSender.enabled': false,
  'toolkit.telemetry.firstShutdownPing.enabled': false,
  'toolkit.telemetry.updatePing.enabled': false,
  'toolkit.telemetry.bhrPing.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  'browser.ping-centre.telemetry': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.provider.google.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'network.captive-portal-service.enabled': false,
  'captivedetect.canonicalURL': '',
  'network.connectivity-service.enabled': false,
  'network.trr.mode': 5,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.http.speculative-parallel-limit': 0,
  'security.OCSP.enabled': 0,
  'security.remote_settings.crlite_filters.enabled': false,
  'security.remote_settings.intermediates.enabled': false,
  'extensions.blocklist.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.update.enabled': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.topsites.contile.enabled': false,
  'dom.push.enabled': false,
  'dom.push.connection.enabled': false,
  'identity.fxaccounts.enabled': false,
  'media.gmp-manager.updateEnabled': false,
  'browser.shell.checkDefaultBrowser': false,
};

/** A headless Firefox over WebDriver BiDi with a fresh profile of its own; close() removes the profile. */
export interface LaunchedFirefox {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchFirefox(executablePath: string): Promise<LaunchedFirefox> {
  const profile = mkdtempSync(path.join(tmpdir(), 'asyncio-book-firefox-'));
  const removeProfile = () => rmSync(profile, { recursive: true, force: true, maxRetries: 3, retryDelay: 200 });
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath,
      headless: true,
      userDataDir: profile,
      extraPrefsFirefox: QUIET_PREFS,
      env: { ...process.env, MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1', MOZ_CRASHREPORTER_DISABLE: '1' },
      defaultViewport: { width: 1280, height: 900 },
      timeout: 30_000, // to start
      protocolTimeout: 20_000, // for any one command: a hung browser fails the test instead of stalling it
    });
  } catch (error) {
    removeProfile();
    throw error;
  }
  const child = browser.process();
  const kill = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', kill); // the runner going away some other way must not leave Firefox behind
  let closed: Promise<void> | undefined;
  return {
    browser,
    close() {
      closed ??= (async () => {
        await within(browser.close(), 10_000).catch(() => {}); // then it is killed
        kill();
        if (child && child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
        process.removeListener('exit', kill);
        removeProfile();
      })();
      return closed;
    },
  };
}

/** `node scripts/serve.ts --plain-host`: dist/ with no isolation headers and no local runtime. */
export interface PlainHost {
  origin: string;
  close(): Promise<void>;
}

export async function servePlainHost(port: number): Promise<PlainHost> {
  const child = spawn(process.execPath, ['scripts/serve.ts', '--plain-host', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  let said = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (said += chunk));
  child.stderr.on('data', (chunk: string) => (said += chunk));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`scripts/serve.ts did not start within 20 s. It said:\n${said}`)), 20_000);
      child.stdout.on('data', () => {
        if (said.includes('Serving the book at')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`scripts/serve.ts exited (${signal ?? `code ${code}`}) before serving. It said:\n${said}`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  } catch (error) {
    await stop(child);
    process.removeListener('exit', kill);
    throw error;
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    async close() {
      await stop(child);
      process.removeListener('exit', kill);
    },
  };
}

/** SIGTERM (serve.ts shuts down on it), SIGKILL after 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** The promise, or a rejection after `ms`; the timer does not outlive it. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
