import { describe, expect, it } from 'vitest';
import { parseRateLimit, parseTrustProxy, readHttpLimits } from '../../config/http-limits.js';
import { ConfigError, loadConfig } from '../../config/index.js';
import { clientKey } from '../../src/http/rate-limits.js';

describe('HTTP limits configuration', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const problems: string[] = [];
    expect(readHttpLimits({}, problems)).toEqual({
      trustProxy: 'loopback',
      api: { perSecond: 20, burst: 60 },
      authFailures: { perSecond: 1, burst: 20 },
      login: { perSecond: 10 / 60, burst: 10 },
    });
    expect(problems).toEqual([]);
    expect(loadConfig({}).httpLimits.api).toEqual({ perSecond: 20, burst: 60 });
  });

  it('when rates are written per second, minute or hour, with or without a burst, or off, then each is read', () => {
    expect(parseRateLimit('5/s')).toEqual({ perSecond: 5, burst: 5 });
    expect(parseRateLimit('30/min,5')).toEqual({ perSecond: 0.5, burst: 5 });
    expect(parseRateLimit('3600 / h , 100')).toEqual({ perSecond: 1, burst: 100 });
    expect(parseRateLimit('off')).toBeNull();
    for (const bad of ['20', '20/day', '0/s', '-1/s', '20/s,0', 'many']) expect(parseRateLimit(bad), bad).toBeUndefined();
  });

  it('when TRUST_PROXY names addresses, ranges, presets, hops or a boolean, then it is taken; junk is refused', () => {
    expect(parseTrustProxy('10.0.0.1, 192.168.0.0/16 ,loopback,fd00::/8')).toBe('10.0.0.1,192.168.0.0/16,loopback,fd00::/8');
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('false')).toBe(false);
    for (const bad of ['10.0.0.0/33', 'proxy.local', '10.0.0.1/8/2', 'everyone'])
      expect(parseTrustProxy(bad), bad).toBeUndefined();
  });

  it('when a limit or TRUST_PROXY is malformed, then loadConfig names each bad key', () => {
    let problems: readonly string[] = [];
    try {
      loadConfig({ RATE_LIMIT_API: 'fast', RATE_LIMIT_LOGIN: '10/week', TRUST_PROXY: 'the-balancer' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['RATE_LIMIT_API', 'RATE_LIMIT_LOGIN', 'TRUST_PROXY']);
  });

  it('when a client address is IPv6, then its /64 is the key; IPv4 and IPv4-mapped addresses are themselves', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('2001:db8:85a3:1:8a2e:370:7334:1')).toBe('2001:db8:85a3:1::/64');
    expect(clientKey('2001:DB8:85A3:0001::1')).toBe('2001:db8:85a3:1::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });
});
