import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: createLogger({ level: 'info', destination }), lines };
}

describe('logger', () => {
  it('when personal data or secrets are logged, then they are redacted at every usual depth', () => {
    const { log, lines } = capture();
    log.info(
      {
        text: 'нет воды на Попова 105',
        from: { first_name: 'Анна', username: 'anna', id: 42 },
        update: { message: { text: 'секрет', caption: 'подпись', contact: { phone_number: '+79990000000' } } },
        token: '123:abc',
        req: { headers: { authorization: 'Bearer x' } },
      },
      'incoming',
    );
    const out = lines.join('');
    for (const secret of ['Попова', 'Анна', 'anna', 'секрет', 'подпись', '+7999', '123:abc', 'Bearer x']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('"id":42');
    expect(out).toContain('[redacted]');
  });
});
