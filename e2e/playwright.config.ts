import {
  defineConfig,
  type PlaywrightTestOptions,
  type PlaywrightWorkerOptions,
  type Project,
} from '@playwright/test';
import type { Profile } from './fixtures';
import { API_URL, BASE_URL, startServerEnv } from './fixtures/server';

const CHROME = '156.0.0.0';

/** Every profile: Chinese (Simplified) browser in China's time zone. */
const everywhere = {
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};

/** A litigant's phone: Pixel 7 class. */
const phone = {
  ...everywhere,
  viewport: { width: 412, height: 915 },
  screen: { width: 412, height: 915 },
  deviceScaleFactor: 2.625,
  isMobile: true,
  hasTouch: true,
  userAgent: `Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME} Mobile Safari/537.36`,
};

interface ProfileOption {
  profile: Profile;
}
type ProfileProject = Project<PlaywrightTestOptions, PlaywrightWorkerOptions & ProfileOption> & {
  name: Profile;
  use: ProfileOption;
};

const projects: ProfileProject[] = [
  { name: 'phone', use: { profile: 'phone', ...phone } },
  {
    // A lawyer's tablet: iPad Air class size, Chrome on an Android tablet (the engine is Chromium).
    name: 'tablet',
    use: {
      profile: 'tablet',
      ...everywhere,
      viewport: { width: 820, height: 1180 },
      screen: { width: 820, height: 1180 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      userAgent: `Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME} Safari/537.36`,
    },
  },
  {
    // The WeChat mini-program <web-view> on Android (no WebAuthn there: see fixtures/index.ts).
    name: 'wechat',
    use: {
      profile: 'wechat',
      ...phone,
      userAgent:
        'Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
        'Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 ' +
        'MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64 ' +
        'miniProgram/wx1234567890abcdef',
    },
  },
  {
    // A court-lobby kiosk: portrait touch screen, enrolled by its signed link (fixtures/index.ts).
    name: 'kiosk',
    use: {
      profile: 'kiosk',
      ...everywhere,
      viewport: { width: 1080, height: 1920 },
      screen: { width: 1080, height: 1920 },
      deviceScaleFactor: 1,
      isMobile: false,
      hasTouch: true,
      userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME} Safari/537.36`,
    },
  },
  {
    // Court staff at a desk.
    name: 'desktop',
    use: {
      profile: 'desktop',
      ...everywhere,
      viewport: { width: 1440, height: 900 },
      screen: { width: 1440, height: 900 },
      deviceScaleFactor: 1,
      isMobile: false,
      hasTouch: false,
      userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME} Safari/537.36`,
    },
  },
];

export default defineConfig<object, ProfileOption>({
  testDir: './journeys',
  testMatch: '**/*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  // Deterministic tests: a failure is a failure.
  retries: 0,
  // Two cores: the server, Chromium and the runner share them.
  workers: Number(process.env.E2E_WORKERS ?? 2),
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // The hearing room: a fake camera (a moving test pattern) and microphone (a beep),
        // granted without a prompt, and video that plays with sound without a tap.
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        '--autoplay-policy=no-user-gesture-required',
      ],
    },
    serviceWorkers: 'allow',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects,
  webServer: {
    command: 'bash ./scripts/start-server.sh',
    url: `${API_URL}/healthz`,
    reuseExistingServer: true,
    timeout: 60_000,
    env: startServerEnv(),
    stdout: process.env.E2E_SERVER_LOG ? 'pipe' : 'ignore',
    stderr: 'pipe',
  },
});
