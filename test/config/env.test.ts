import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/index.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('when the environment is empty, then every default applies and the sandbox is on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: null,
      dataDir: './data',
      http: { host: '127.0.0.1', port: 3000 },
      apiToken: null,
      logLevel: 'info',
      roles: ['http', 'telegram', 'vk', 'max', 'worker'],
      domainConfigPath: 'config/barnaul.yaml',
      telegram: null,
      telegramApiRoot: 'https://api.telegram.org',
      vk: null,
      vkApiBaseUrl: 'https://api.vk.com/method',
      max: null,
      maxApiBaseUrl: 'https://platform-api2.max.ru',
      maxOperatorsChatId: null,
      sandbox: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when several keys are wrong, then each bad key is named in one error', () => {
    const problems = problemsOf({
      HTTP_PORT: 'eighty',
      LOG_LEVEL: 'loud',
      APP_ROLES: 'http,mailer',
      DATABASE_URL: 'mysql://x',
      TELEGRAM_MODE: 'carrier-pigeon',
      SANDBOX: 'maybe',
      TELEGRAM_API_ROOT: 'not a url',
    });
    const keys = problems.map((p) => p.split(':')[0]);
    expect(keys).toEqual(
      expect.arrayContaining([
        'HTTP_PORT',
        'LOG_LEVEL',
        'APP_ROLES',
        'DATABASE_URL',
        'TELEGRAM_MODE',
        'SANDBOX',
        'TELEGRAM_API_ROOT',
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(7);
  });

  it('when a secret is invalid, then its value is not echoed back', () => {
    const problems = problemsOf({ API_TOKEN: 'short' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^API_TOKEN:/);
    expect(problems[0]).not.toContain('short"');
  });

  it('when Telegram runs as a webhook without a secret, then the secret is required', () => {
    const problems = problemsOf({ TELEGRAM_BOT_TOKEN: '123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAA', TELEGRAM_MODE: 'webhook' });
    expect(problems).toEqual(['TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_MODE=webhook']);
  });

  it('when Telegram runs as a webhook with a secret, then the webhook branch carries it', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: 'a-long-enough-secret',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081',
    });
    expect(config.telegram).toEqual({
      mode: 'webhook',
      token: '123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      apiRoot: 'http://127.0.0.1:8081',
      webhookSecret: 'a-long-enough-secret',
      webhookUrl: null,
    });
    expect(config.sandbox).toBe(false);
  });

  it('when VK uses the callback API without secret and code, then both are named', () => {
    const problems = problemsOf({ VK_GROUP_TOKEN: 'vk1.a.token', VK_GROUP_ID: '123', VK_MODE: 'callback' });
    expect(problems).toEqual([
      'VK_CALLBACK_SECRET: required when VK_MODE=callback',
      'VK_CONFIRMATION_CODE: required when VK_MODE=callback',
    ]);
  });

  it('when a VK token has no group id, then VK_GROUP_ID is required', () => {
    expect(problemsOf({ VK_GROUP_TOKEN: 'vk1.a.token' })).toEqual(['VK_GROUP_ID: required when VK_GROUP_TOKEN is set']);
  });

  it('when SANDBOX=auto and a token is set, then the sandbox is off; SANDBOX=true forces it on', () => {
    const token = { TELEGRAM_BOT_TOKEN: '123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    expect(loadConfig(token).sandbox).toBe(false);
    expect(loadConfig({ ...token, SANDBOX: 'true' }).sandbox).toBe(true);
    expect(loadConfig({ SANDBOX: 'false' }).sandbox).toBe(false);
  });

  it('when MAX runs as a webhook without a secret, then the secret is required; with one, the webhook branch carries it', () => {
    const token = 'f9LHodD0cOJ-example-max-token-0123456789';
    expect(problemsOf({ MAX_BOT_TOKEN: token, MAX_MODE: 'webhook' })).toEqual([
      'MAX_WEBHOOK_SECRET: required when MAX_MODE=webhook',
    ]);
    const config = loadConfig({
      MAX_BOT_TOKEN: token,
      MAX_MODE: 'webhook',
      MAX_WEBHOOK_SECRET: 'a-long-enough-max-secret',
      MAX_WEBHOOK_URL: 'https://mcu.example.org/max/webhook',
      MAX_OPERATORS_CHAT_ID: '-70012345678',
    });
    expect(config.max).toEqual({
      mode: 'webhook',
      token,
      apiBaseUrl: 'https://platform-api2.max.ru',
      webhookSecret: 'a-long-enough-max-secret',
      webhookUrl: 'https://mcu.example.org/max/webhook',
    });
    expect(config.maxOperatorsChatId).toBe(-70_012_345_678);
    expect(config.sandbox).toBe(false);
    expect(loadConfig({ MAX_BOT_TOKEN: token }).max).toEqual({
      mode: 'polling',
      token,
      apiBaseUrl: 'https://platform-api2.max.ru',
    });
  });

  it('when SANDBOX=true is set next to a MAX token, then it is refused and the token is not echoed', () => {
    const problems = problemsOf({ SANDBOX: 'true', MAX_BOT_TOKEN: 'f9LHodD0cOJ-example-max-token-0123456789' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SANDBOX: .*MAX_BOT_TOKEN/);
    expect(problemsOf({ MAX_BOT_TOKEN: 'short' })[0]).not.toContain('short');
  });

  it('when roles are listed with spaces and repeats, then they are normalised', () => {
    expect(loadConfig({ APP_ROLES: ' http , worker,http ' }).roles).toEqual(['http', 'worker']);
  });

  it('when a variable is set but empty, then its default applies', () => {
    expect(loadConfig({ HTTP_PORT: '', DATA_DIR: '  ' })).toMatchObject({ http: { port: 3000 }, dataDir: './data' });
  });
});
