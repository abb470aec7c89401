import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/env.js';

describe('loadConfig', () => {
  it('has defaults that start the app on localhost:3000 with ./data', () => {
    const config = loadConfig({}, '/repo');
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      origin: 'http://localhost:3000',
      dataDir: path.resolve('./data'),
      mongodbUrl: undefined,
      logLevel: 'info',
      trustProxy: false,
      webBuildDir: '/repo/web/build',
    });
  });

  it('derives the origin from ORIGIN, dropping any path', () => {
    expect(loadConfig({ ORIGIN: 'https://workspace.example.org/app' }, '/r').origin).toBe(
      'https://workspace.example.org',
    );
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ MONGODB_URL: '', PORT: '' }, '/r')).toMatchObject({
      mongodbUrl: undefined,
      port: 3000,
    });
  });

  it('reports every problem at once', () => {
    try {
      loadConfig(
        { PORT: 'eighty', ORIGIN: 'ftp://x', MONGODB_URL: 'postgres://db', LOG_LEVEL: 'loud' },
        '/r',
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'ORIGIN', 'MONGODB_URL', 'LOG_LEVEL']) expect(problems).toContain(name);
    }
  });
});

describe('mail configuration', () => {
  it('requires MAIL_FROM with SMTP_URL', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.org:587' }, '/r')).toThrow(/MAIL_FROM/);
    expect(
      loadConfig({ SMTP_URL: 'smtp://mail.example.org:587', MAIL_FROM: 'COPE <w@example.org>' }, '/r'),
    ).toMatchObject({ smtpUrl: 'smtp://mail.example.org:587', mailFrom: 'COPE <w@example.org>' });
  });
});
